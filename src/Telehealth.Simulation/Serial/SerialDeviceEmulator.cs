using System.IO.Ports;
using Microsoft.Extensions.Logging;

namespace Telehealth.Simulation.Serial;

/// <summary>
/// Plays a scenario onto a serial port as the real device would: its frames, byte for byte, at its cadence (scaled by
/// <see cref="SerialEmulatorOptions.Speed"/>), with its line settings; a CMS50D+ with firmware 4.6 stays silent until
/// it receives the start-live-data command, like the device. Faults are injected per frame when configured.
/// </summary>
public sealed partial class SerialDeviceEmulator(SerialEmulatorOptions options, TimeProvider time, ILogger logger)
{
    private long _framesWritten;

    public long FramesWritten => Interlocked.Read(ref _framesWritten);

    /// <summary>Opens the port, waits for the start command where the device would, and plays the scenario.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var port = OpenPort(options.PortPath, options.Format);
        Log.Started(logger, options.PortPath, options.Format.ToString(), SerialScenarios.NameOf(options.Scenario));
        if (options.Format == SerialDeviceFormat.Cms50V46)
        {
            await WaitForStartCommandAsync(port.BaseStream, cancellationToken).ConfigureAwait(false);
        }
        await PlayAsync(port.BaseStream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The device's end of the cable, with the device's line settings.</summary>
    public static SerialPort OpenPort(string path, SerialDeviceFormat format)
    {
        var port = new SerialPort(path, BaudRate(format), format == SerialDeviceFormat.Cms50Legacy ? Parity.Odd : Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
        };
        try
        {
            port.Open();
            return port;
        }
        catch
        {
            port.Dispose();
            throw;
        }
    }

    /// <summary>Writes the scenario's seconds to an open port at the device's cadence.</summary>
    public async Task PlayAsync(Stream stream, CancellationToken cancellationToken)
    {
        var injector = new SerialFaultInjector(options.Faults, options.Seed);
        var framesPerSecond = SerialFrameEncoder.FramesPerSecond(options.Format);
        var frameInterval = TimeSpan.FromSeconds(1 / (framesPerSecond * options.Speed));
        var started = time.GetTimestamp();
        var frame = 0L;
        for (var second = options.StartSecond; options.Seconds is not { } limit || second < options.StartSecond + limit; second++)
        {
            var readout = SerialScenarios.At(options.Scenario, second);
            for (var i = 0; i < framesPerSecond; i++)
            {
                var bytes = injector.Apply(SerialFrameEncoder.Encode(options.Format, readout, time.GetLocalNow().DateTime, (int)frame));
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _framesWritten);
                frame++;
                // Keep to the schedule from the start, so a slow write does not drift the cadence.
                var due = frameInterval * frame - time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        Log.Finished(logger, options.PortPath, FramesWritten, injector.Damaged);
    }

    private static int BaudRate(SerialDeviceFormat format) => format switch
    {
        SerialDeviceFormat.Cms50Legacy => 19200,
        SerialDeviceFormat.Cms50V46 => 115200,
        _ => 9600,
    };

    /// <summary>Reads what the host sends until the 9-byte start command 7D 81 A1 … has arrived.</summary>
    public static async Task WaitForStartCommandAsync(Stream stream, CancellationToken cancellationToken)
    {
        var start = Cms50V46Encoder.StartLiveData.ToArray();
        var matched = 0;
        var buffer = new byte[64];
        while (matched < start.Length)
        {
            var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The host closed the port before starting live data.");
            }
            for (var i = 0; i < read && matched < start.Length; i++)
            {
                matched = buffer[i] == start[matched] ? matched + 1 : buffer[i] == start[0] ? 1 : 0;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "Emulating {Format} on {Path}, scenario {Scenario}")]
        public static partial void Started(ILogger logger, string path, string format, string scenario);

        [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Emulation on {Path} finished: {Frames} frames written, {Damaged} damaged on purpose")]
        public static partial void Finished(ILogger logger, string path, long frames, int damaged);
    }
}
