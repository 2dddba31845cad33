using Microsoft.Extensions.Logging;
using Telehealth.Contracts.Devices;
using Telehealth.Gateway.Serial.Aggregation;
using Telehealth.Gateway.Serial.Forwarding;
using Telehealth.Gateway.Serial.Protocols;

namespace Telehealth.Gateway.Serial;

/// <summary>
/// One serial device to the platform: port reader → decoder → stable-window aggregator → spool (fsync'd) → MQTT
/// forwarder. Every formed reading is on disk before it is sent, and leaves the disk only after its PUBACK. A low
/// battery flag becomes one <c>low_battery</c> event per episode; other device problems (finger out, probe error,
/// artifact…) keep samples out of readings and are logged with the window's reason code.
/// </summary>
public sealed partial class SerialBridge
{
    public const string LowBatteryEvent = "low_battery";

    private readonly SerialBridgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IOximeterDecoder _decoder;
    private readonly StableWindowAggregator _aggregator;
    private readonly List<OximeterSample> _samples = [];
    private readonly Lock _gate = new();
    private ReadingSpool? _spool;
    private SerialPortReader? _reader;
    private SpoolingMqttForwarder? _forwarder;
    private bool _lowBatteryReported;
    private long _readingsFormed;
    private long _windowsWithoutReading;

    public SerialBridge(SerialBridgeOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<SerialBridge>();
        _decoder = SerialFormats.CreateDecoder(options.Format);
        _aggregator = new StableWindowAggregator(options.Aggregation);
    }

    /// <summary>Raised (on the bridge's read or tick path) for every closed window, after a reading was spooled.</summary>
    public event Action<WindowOutcome>? WindowClosed;

    public DecoderStatistics Decoding => _decoder.Statistics;

    public long ReadingsFormed => Interlocked.Read(ref _readingsFormed);

    public long WindowsWithoutReading => Interlocked.Read(ref _windowsWithoutReading);

    public long Published => _forwarder?.Published ?? 0;

    public int PortOpens => _reader?.Opens ?? 0;

    public int PortLosses => _reader?.Losses ?? 0;

    public int Pending => _spool?.PendingCount ?? 0;

    /// <summary>Runs until cancelled. Throws <see cref="IOException"/> at start when the spool cannot be opened (held by another bridge).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var spool = ReadingSpool.Open(_options.SpoolDirectory, _options.DeviceId);
        _spool = spool;
        if (spool.UnreadableLines > 0)
        {
            Log.SpoolLinesSkipped(_logger, _options.DeviceId, spool.UnreadableLines);
        }
        Log.Starting(_logger, _options.DeviceId, SerialFormats.NameOf(_options.Format), _options.PortPath, spool.PendingCount);
        using var forwarder = new SpoolingMqttForwarder(spool, new MqttForwarderOptions
        {
            Host = _options.BrokerHost,
            Port = _options.BrokerPort,
            DeviceId = _options.DeviceId,
            Secret = _options.Secret,
            ClientId = _options.EffectiveClientId,
            Protocol = _options.Protocol,
            ReconnectMaxDelay = _options.ReconnectMaxDelay,
        }, _time, _loggerFactory.CreateLogger<SpoolingMqttForwarder>());
        _forwarder = forwarder;
        _reader = new SerialPortReader(new SerialPortReaderOptions
        {
            Path = _options.PortPath,
            Line = SerialFormats.LineSettings(_options.Format),
            OpenCommand = SerialFormats.OpenCommand(_options.Format),
            KeepAliveCommand = SerialFormats.KeepAliveCommand(_options.Format),
            ReopenMaxDelay = _options.ReopenMaxDelay,
        }, _time, _loggerFactory.CreateLogger<SerialPortReader>());

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forwarding = forwarder.RunAsync(stopping.Token);
        var ticking = TickAsync(stopping.Token);
        try
        {
            await _reader.RunAsync(OnPortOpened, OnBytes, stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(forwarding, ticking).ConfigureAwait(false);
            Log.Stopped(_logger, _options.DeviceId, spool.PendingCount);
        }
    }

    private void OnPortOpened()
    {
        lock (_gate)
        {
            _decoder.Reset();
        }
    }

    private void OnBytes(ReadOnlyMemory<byte> bytes)
    {
        lock (_gate)
        {
            _samples.Clear();
            _decoder.Decode(bytes.Span, _samples);
            foreach (var sample in _samples)
            {
                if (_aggregator.Add(sample, _time.GetUtcNow()) is { } closed)
                {
                    Handle(closed);
                }
            }
        }
    }

    /// <summary>Closes windows of a device that went quiet (unplugged, switched off): their samples still count.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(_options.Aggregation.Window.Ticks / 10, TimeSpan.TicksPerMillisecond * 20, TimeSpan.TicksPerSecond));
        using var timer = new PeriodicTimer(period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    if (_aggregator.Tick(_time.GetUtcNow()) is { } closed)
                    {
                        Handle(closed);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Handle(WindowOutcome window)
    {
        if (window.IsReading)
        {
            _spool!.Append(DeviceTopics.Readings(_options.DeviceId),
                BridgePayloads.Readings(_options.DeviceId, window.End, window.Spo2!.Value, window.PulseRate!.Value));
            Interlocked.Increment(ref _readingsFormed);
            Log.ReadingFormed(_logger, _options.DeviceId, window.ValidSamples, window.Samples);
        }
        else
        {
            Interlocked.Increment(ref _windowsWithoutReading);
            Log.NoReading(_logger, _options.DeviceId, window.Rejection!, window.ValidSamples, window.Samples, window.FlagsSeen.ToString());
        }
        var lowBattery = (window.FlagsSeen & OximeterFlags.LowBattery) != 0;
        if (lowBattery && !_lowBatteryReported)
        {
            _spool!.Append(DeviceTopics.Events(_options.DeviceId), BridgePayloads.Event(LowBatteryEvent, window.End));
            Log.LowBattery(_logger, _options.DeviceId);
        }
        _lowBatteryReported = lowBattery;
        WindowClosed?.Invoke(window);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Serial bridge for {DeviceId} starting: format {Format} on {Path}; {Pending} message(s) waiting in the spool")]
        public static partial void Starting(ILogger logger, string deviceId, string format, string path, int pending);

        [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Reading formed for {DeviceId} from {Valid} of {Samples} samples")]
        public static partial void ReadingFormed(ILogger logger, string deviceId, int valid, int samples);

        [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "No reading for {DeviceId} this window: {Reason} ({Valid} valid of {Samples}; status {Flags})")]
        public static partial void NoReading(ILogger logger, string deviceId, string reason, int valid, int samples, string flags);

        [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Device {DeviceId} reports low battery; low_battery event queued")]
        public static partial void LowBattery(ILogger logger, string deviceId);

        [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Spool of {DeviceId}: {Count} unreadable line(s) skipped (torn write)")]
        public static partial void SpoolLinesSkipped(ILogger logger, string deviceId, int count);

        [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Serial bridge for {DeviceId} stopped; {Pending} message(s) kept in the spool for the next start")]
        public static partial void Stopped(ILogger logger, string deviceId, int pending);
    }
}
