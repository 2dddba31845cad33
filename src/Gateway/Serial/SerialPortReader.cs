using System.IO.Ports;
using Microsoft.Extensions.Logging;

namespace Telehealth.Gateway.Serial;

/// <summary>
/// Reads a serial port until cancelled, surviving unplug and replug. Measured on Linux (docs/device-api.md):
/// BaseStream.ReadAsync ignores ReadTimeout, so every read carries a CancellationToken; when the other end vanishes a
/// pending read fails (ObjectDisposedException, IOException) while IsOpen stays true, and Close can hang 8–30 s, so
/// Close runs off the read path and is waited for only briefly; reopening a dangling link throws
/// UnauthorizedAccessException, so opening is retried with backoff until the path leads to a device again.
/// </summary>
public sealed partial class SerialPortReader(SerialPortReaderOptions options, TimeProvider time, ILogger logger)
{
    private int _opens;
    private int _losses;

    /// <summary>How many times the port has been opened (1 after the first open; more after each replug).</summary>
    public int Opens => Volatile.Read(ref _opens);

    /// <summary>How many times an open port was lost (unplugged, device gone, path now elsewhere).</summary>
    public int Losses => Volatile.Read(ref _losses);

    /// <param name="onOpened">Called after each successful open, before the first bytes (decoders forget partial frames).</param>
    /// <param name="onBytes">Called with each chunk read, on the read loop; the memory is reused after the call returns.</param>
    public async Task RunAsync(Action onOpened, Action<ReadOnlyMemory<byte>> onBytes, CancellationToken cancellationToken)
    {
        var delay = options.ReopenInitialDelay;
        var reportedMissing = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            var port = TryOpen(out var problem);
            if (port is null)
            {
                if (!reportedMissing)
                {
                    Log.WaitingForPort(logger, options.Path, problem!);
                    reportedMissing = true;
                }
                try
                {
                    await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.ReopenMaxDelay.Ticks));
                continue;
            }
            reportedMissing = false;
            delay = options.ReopenInitialDelay;
            Interlocked.Increment(ref _opens);
            Log.Opened(logger, options.Path);
            onOpened();
            var reason = await ReadUntilGoneAsync(port, onBytes, cancellationToken).ConfigureAwait(false);
            await CloseOffThePathAsync(port).ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _losses);
                Log.Lost(logger, options.Path, reason);
            }
        }
    }

    private SerialPort? TryOpen(out string? problem)
    {
        var port = new SerialPort(options.Path, options.Line.BaudRate, options.Line.Parity, options.Line.DataBits, options.Line.StopBits)
        {
            Handshake = Handshake.None,
        };
        try
        {
            port.Open();
            problem = null;
            return port;
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException or ArgumentException or InvalidOperationException)
        {
            // A dangling pty link gives UnauthorizedAccessException, a missing device node IOException/FileNotFound.
            port.Dispose();
            problem = exception.GetType().Name;
            return null;
        }
    }

    private async Task<string> ReadUntilGoneAsync(SerialPort port, Action<ReadOnlyMemory<byte>> onBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var opened = DeviceIdentity(options.Path);
        var lastKeepAlive = time.GetUtcNow();
        var receivedAny = false;
        try
        {
            var stream = port.BaseStream;
            if (options.OpenCommand.Length > 0)
            {
                await stream.WriteAsync(options.OpenCommand, cancellationToken).ConfigureAwait(false);
            }
            var wait = options.KeepAliveCommand.Length > 0 && options.KeepAliveInterval < options.SilenceCheck
                ? options.KeepAliveInterval
                : options.SilenceCheck;
            while (!cancellationToken.IsCancellationRequested)
            {
                int read;
                using (var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    readTimeout.CancelAfter(wait);
                    try
                    {
                        read = await stream.ReadAsync(buffer, readTimeout.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Quiet for a while: a device that is only quiet keeps its port; one whose path now leads
                        // elsewhere (replugged while we waited) or nowhere is reopened.
                        if (DeviceIdentity(options.Path) != opened)
                        {
                            return "path changed";
                        }
                        if (!receivedAny && options.OpenCommand.Length > 0)
                        {
                            // The device may have been switched on (or its far end opened) after our start command.
                            await stream.WriteAsync(options.OpenCommand, cancellationToken).ConfigureAwait(false);
                        }
                        read = 0;
                    }
                }
                if (read > 0)
                {
                    receivedAny = true;
                    onBytes(buffer.AsMemory(0, read));
                }
                if (options.KeepAliveCommand.Length > 0 && time.GetUtcNow() - lastKeepAlive >= options.KeepAliveInterval)
                {
                    await stream.WriteAsync(options.KeepAliveCommand, cancellationToken).ConfigureAwait(false);
                    lastKeepAlive = time.GetUtcNow();
                }
            }
            return "stopping";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "stopping";
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
        {
            return exception.GetType().Name;
        }
    }

    /// <summary>Close can hang for many seconds after the other end vanished: run it elsewhere and wait only briefly.</summary>
    private async Task CloseOffThePathAsync(SerialPort port)
    {
        var closing = Task.Run(() =>
        {
            try
            {
                port.Dispose();
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                // The device is gone; there is nothing left to close cleanly.
            }
        });
        var finished = await Task.WhenAny(closing, Task.Delay(options.CloseTimeout, time)).ConfigureAwait(false);
        if (finished != closing)
        {
            Log.CloseSlow(logger, options.Path);
        }
    }

    /// <summary>What the path leads to now: a pty link's target (/dev/pts/N), the path itself for a device node, null when gone.</summary>
    private static string? DeviceIdentity(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
                return resolved is { Exists: true } ? resolved.FullName : null;
            }
            return info.Exists ? info.FullName : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Serial port {Path} open")]
        public static partial void Opened(ILogger logger, string path);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Serial port {Path} lost ({Reason}); reopening when it is back")]
        public static partial void Lost(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Waiting for serial port {Path} ({Problem}); retrying with backoff")]
        public static partial void WaitingForPort(ILogger logger, string path, string problem);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Closing serial port {Path} is slow (the device vanished mid-read); continuing without waiting")]
        public static partial void CloseSlow(ILogger logger, string path);
    }
}
