using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Gateway.Serial;
using Telehealth.Gateway.Serial.Aggregation;

namespace Telehealth.Integration.Tests.Serial;

/// <summary>The serial bridge run in-process with the same class the command runs, with every closed window observable.</summary>
internal sealed class RunningBridge : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Channel<WindowOutcome> _windows = Channel.CreateUnbounded<WindowOutcome>();
    private readonly Task _run;

    private RunningBridge(SerialBridgeOptions options)
    {
        Options = options;
        Bridge = new SerialBridge(options, NullLoggerFactory.Instance);
        Bridge.WindowClosed += window => _windows.Writer.TryWrite(window);
        _run = Task.Run(() => Bridge.RunAsync(_stopping.Token));
    }

    public SerialBridge Bridge { get; }

    public SerialBridgeOptions Options { get; }

    /// <summary>Test timing: 3-second windows (bursts of device seconds played fast fit well inside one), 5 valid samples.</summary>
    public static RunningBridge Start(string portPath, SerialFormat format, string deviceId, string secret, int brokerPort, string spoolDirectory) =>
        new(new SerialBridgeOptions
        {
            PortPath = portPath,
            Format = format,
            DeviceId = deviceId,
            Secret = secret,
            BrokerHost = "127.0.0.1",
            BrokerPort = brokerPort,
            SpoolDirectory = spoolDirectory,
            Aggregation = new StableWindowOptions { Window = TimeSpan.FromSeconds(3), MinValidSamples = 5 },
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            ReopenMaxDelay = TimeSpan.FromMilliseconds(500),
        });

    /// <summary>The next window the bridge closes (a reading or the reason there was none).</summary>
    public async Task<WindowOutcome> NextWindowAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _windows.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No window closed in time (opens {Bridge.PortOpens}, losses {Bridge.PortLosses}, frames {Bridge.Decoding.FramesDecoded}, dropped {Bridge.Decoding.BytesDropped}; run {_run.Status}: {_run.Exception?.GetBaseException().Message}).");
        }
    }

    /// <summary>Waits for a condition on the bridge's counters (no acknowledgement to await for these).</summary>
    public async Task WaitUntilAsync(Func<SerialBridge, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition(Bridge))
        {
            if (_run.IsCompleted)
            {
                throw new InvalidOperationException($"The bridge stopped while waiting for {what}: {_run.Exception?.GetBaseException().Message}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Bridge never reached: {what} (opens {Bridge.PortOpens}, losses {Bridge.PortLosses}, pending {Bridge.Pending}, published {Bridge.Published}).");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>Stops the bridge; a bridge that does not stop within 30 s is hung, which fails the test.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _stopping.CancelAsync();
            await Task.WhenAny(_run, Task.Delay(TimeSpan.FromSeconds(30)));
        }
        _stopping.Dispose();
        try
        {
            Directory.Delete(Options.SpoolDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
