using Microsoft.Extensions.Logging;
using Telehealth.Simulation.Transports;

namespace Telehealth.Simulation.Running;

/// <summary>Log messages of the simulator. Device ids and home labels only: never a value or a name.</summary>
internal static partial class SimulationLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Simulation started: {HomeCount} homes, {DeviceCount} devices, acceleration {Acceleration}x")]
    public static partial void SimulationStarted(ILogger logger, int homeCount, int deviceCount, double acceleration);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Simulation stopped")]
    public static partial void SimulationStopped(ILogger logger);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Device {DeviceId} connected")]
    public static partial void DeviceConnected(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Device {DeviceId} reconnected")]
    public static partial void DeviceReconnected(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Device {DeviceId} could not connect ({Outcome}); retrying in {RetryIn}")]
    public static partial void ConnectFailed(ILogger logger, string deviceId, ConnectOutcome outcome, TimeSpan retryIn);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Device {DeviceId} lost its connection; {Pending} messages held for resending")]
    public static partial void ConnectionLost(ILogger logger, string deviceId, int pending);

    [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Device {DeviceId}: broker rejected a message on {Topic}")]
    public static partial void PublishRejected(ILogger logger, string deviceId, string topic);

    [LoggerMessage(EventId = 15, Level = LogLevel.Warning, Message = "Device {DeviceId}: held-message limit reached, oldest message dropped")]
    public static partial void PendingMessageDropped(ILogger logger, string deviceId);

    [LoggerMessage(EventId = 16, Level = LogLevel.Error, Message = "Device {DeviceId} stopped after an unexpected error")]
    public static partial void DeviceFailed(ILogger logger, string deviceId, Exception exception);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Home {HomeLabel} started with {DeviceCount} devices")]
    public static partial void HomeStarted(ILogger logger, string homeLabel, int deviceCount);
}
