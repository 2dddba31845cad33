using Microsoft.Extensions.Logging;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using Telehealth.Gateway.Devices;
using Telehealth.Gateway.Diagnostics;

namespace Telehealth.Gateway.Ingress;

/// <summary>
/// The one path every device message takes, whichever broker carried it: find the device's person, decode,
/// record what is refused (with a reason, visible to staff), and hand the rest to ingest. Transport-neutral,
/// so the embedded broker and the external-broker subscriber behave the same.
/// </summary>
public sealed partial class DeviceMessageHandler(
    IDeviceRegistry registry,
    IIngestSink sink,
    IRejectionLog rejections,
    SenmlDecoder senmlDecoder,
    TelecareEventDecoder eventDecoder,
    DeviceStatusDecoder statusDecoder,
    GatewayMetrics metrics,
    TimeProvider timeProvider,
    ILogger<DeviceMessageHandler> logger)
{
    // One log line per device, source and reason a minute; the rest are counted (metrics) and summed into the next line.
    private readonly RefusalAggregator _logTally = new(timeProvider, TimeSpan.FromMinutes(1));

    public async Task<DeviceMessageOutcome> HandleAsync(
        string deviceId, DeviceChannel channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var receivedAt = timeProvider.GetUtcNow();
        var source = $"mqtt:{channel.ToString().ToLowerInvariant()}";
        metrics.MessageReceived(source);

        var device = await registry.GetAsync(deviceId, cancellationToken);
        if (device is null)
        {
            await RejectAsync(new Rejection(receivedAt, deviceId, source, RejectionReasons.UnknownDevice,
                "No registered device has this id; its messages are not stored."), cancellationToken);
            return new DeviceMessageOutcome(0, 0, 1, false);
        }

        try
        {
            return channel switch
            {
                DeviceChannel.Readings => await HandleReadingsAsync(device, source, payload, receivedAt, cancellationToken),
                DeviceChannel.Events => await HandleEventAsync(device, source, payload, receivedAt, cancellationToken),
                DeviceChannel.Status => await HandleStatusAsync(device, source, payload, receivedAt, cancellationToken),
                _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, null),
            };
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Good data that could not be stored is not refused: the transport withholds the acknowledgement and
            // the message comes again. Logged with ids only.
            LogStorageFailed(logger, exception, deviceId, channel);
            return DeviceMessageOutcome.RetryLater;
        }
    }

    private async Task<DeviceMessageOutcome> HandleReadingsAsync(
        DeviceRecord device, string source, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var decoded = senmlDecoder.Decode(payload.Span, receivedAt);
        foreach (var problem in decoded.Rejected)
        {
            await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, problem.Reason, problem.Detail), cancellationToken);
        }
        if (decoded.Accepted.Count == 0)
        {
            return new DeviceMessageOutcome(0, 0, decoded.Rejected.Count, false);
        }
        var recordIndexes = new Dictionary<Reading, int>(ReferenceEqualityComparer.Instance);
        var readings = new List<Reading>(decoded.Accepted.Count);
        foreach (var record in decoded.Accepted)
        {
            var reading = new Reading(device.DeviceId, device.PatientId, record.Kind, record.Value, record.DeviceTime, receivedAt);
            recordIndexes[reading] = record.RecordIndex;
            readings.Add(reading);
        }
        var result = await sink.SubmitReadingsAsync(readings, cancellationToken);
        foreach (var conflict in result.Conflicts)
        {
            // A value differing from the stored reading of the same identity: refused and visible, never acknowledged
            // as a duplicate (the stored value is kept; the value stays out of the detail).
            var index = recordIndexes.TryGetValue(conflict, out var i) ? i : (int?)null;
            await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.ConflictingDuplicate,
                RejectionDetail.For(index, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{conflict.Kind.WireName()} at {conflict.DeviceTime:yyyy-MM-ddTHH:mm:ss.fffZ} is already stored with a different value; the stored value is kept"))),
                cancellationToken);
        }
        metrics.Accepted(result.Stored);
        var rejectedCount = decoded.Rejected.Count + result.Conflicts.Count;
        return new DeviceMessageOutcome(result.Stored, readings.Count - result.Stored - result.Conflicts.Count, rejectedCount, false);
    }

    private async Task<DeviceMessageOutcome> HandleEventAsync(
        DeviceRecord device, string source, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var decoded = eventDecoder.Decode(payload.Span, receivedAt);
        if (decoded.Rejection is { } problem)
        {
            await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, problem.Reason, problem.Detail), cancellationToken);
            return new DeviceMessageOutcome(0, 0, 1, false);
        }
        var telecareEvent = new TelecareEvent(device.DeviceId, device.PatientId, decoded.Event!.Type, decoded.Event.DeviceTime, receivedAt);
        var isNew = await sink.SubmitEventAsync(telecareEvent, cancellationToken);
        metrics.Accepted(isNew ? 1 : 0);
        return new DeviceMessageOutcome(isNew ? 1 : 0, isNew ? 0 : 1, 0, false);
    }

    private async Task<DeviceMessageOutcome> HandleStatusAsync(
        DeviceRecord device, string source, ReadOnlyMemory<byte> payload, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var decoded = statusDecoder.Decode(payload.Span, receivedAt);
        if (decoded.Rejection is { } problem)
        {
            await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, problem.Reason, problem.Detail), cancellationToken);
            return new DeviceMessageOutcome(0, 0, 1, false);
        }
        var status = decoded.Status!;
        await registry.RecordHeartbeatAsync(device.DeviceId, status.DeviceTime, status.BatteryPercent, cancellationToken);
        await sink.SubmitStatusAsync(
            new DeviceStatusReport(device.DeviceId, device.PatientId, status.BatteryPercent, status.DeviceTime, receivedAt,
                device.Type.WireName(), status.Interval),
            cancellationToken);
        metrics.Accepted(1);
        return new DeviceMessageOutcome(1, 0, 0, false);
    }

    /// <summary>Records input refused before or outside decoding (credentials, topic ACL), so the edge counts it too.</summary>
    public async ValueTask RejectAsync(Rejection rejection, CancellationToken cancellationToken)
    {
        metrics.Rejected(rejection.Reason);
        var deviceId = UntrustedText.Clip(rejection.DeviceId);
        var tally = _logTally.Count($"{deviceId}|{rejection.Source}|{rejection.Reason}");
        if (tally.Report)
        {
            LogRejected(logger, deviceId, rejection.Source, rejection.Reason, tally.SuppressedBefore);
        }
        await rejections.RecordAsync(rejection, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused input from device {DeviceId} on {Source}: {Reason} ({SuppressedBefore} more counted in the minute before)")]
    private static partial void LogRejected(ILogger logger, string deviceId, string source, string reason, int suppressedBefore);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a {Channel} message of device {DeviceId}; it will be redelivered")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string deviceId, DeviceChannel channel);
}
