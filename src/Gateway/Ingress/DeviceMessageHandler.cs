using Telehealth.Contracts.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using Telehealth.Gateway.Diagnostics;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Gateway.Ingress;

/// <summary>
/// The one path every device message takes, whichever broker carried it: hold the device to its rate, find it,
/// decode, check each record against what its type may send, attribute it to whoever had the device at the record's
/// own device time, record what is refused (with a reason, visible to staff), and hand the rest to ingest.
/// Transport-neutral, so the embedded broker and the external-broker subscriber behave the same.
/// </summary>
public sealed partial class DeviceMessageHandler(
    IDeviceRegistry registry,
    DeviceRateLimiter rateLimiter,
    IIngestSink sink,
    IRejectionLog rejections,
    SenmlDecoder senmlDecoder,
    TelecareEventDecoder eventDecoder,
    DeviceStatusDecoder statusDecoder,
    GatewayMetrics metrics,
    IOptions<DeviceIngressOptions> options,
    TimeProvider timeProvider,
    ILogger<DeviceMessageHandler> logger)
{
    // One log line per device, source and reason a minute; the rest are counted (metrics) and summed into the next line.
    private readonly RefusalAggregator _logTally = new(timeProvider, TimeSpan.FromMinutes(1));

    // A flooding device would otherwise write one rejection row per message: listed once per device a minute, with
    // the number refused since; every one is counted (metrics, DeviceRateLimiter.RefusedCount) and answered.
    private readonly RefusalAggregator _rateLimitTally = new(timeProvider, TimeSpan.FromMinutes(1));

    public async Task<DeviceMessageOutcome> HandleAsync(
        string deviceId, DeviceChannel channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var receivedAt = timeProvider.GetUtcNow();
        var source = $"mqtt:{channel.ToString().ToLowerInvariant()}";
        metrics.MessageReceived(source);

        if (!rateLimiter.TryAcquire(deviceId))
        {
            await RateLimitedAsync(deviceId, source, receivedAt, cancellationToken);
            return DeviceMessageOutcome.RateLimited;
        }

        try
        {
            var device = await registry.GetAsync(deviceId, cancellationToken);
            if (device is null)
            {
                await RejectAsync(new Rejection(receivedAt, deviceId, source, RejectionReasons.UnknownDevice,
                    "No registered device has this id; its messages are not stored."), cancellationToken);
                return new DeviceMessageOutcome(0, 0, 1, false);
            }
            if (device.IsRevoked)
            {
                // Only an external broker can still carry one (a message in flight at the moment of revocation).
                await RejectAsync(new Rejection(receivedAt, deviceId, source, RejectionReasons.DeviceRevoked,
                    "This device was revoked; its messages are not stored."), cancellationToken);
                return new DeviceMessageOutcome(0, 0, 1, false);
            }
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
        var refused = decoded.Rejected.Count;
        var assignments = await registry.GetAssignmentsAsync(device.DeviceId, cancellationToken);
        var (assessedStored, assessedRepeats, assessedConflicts, assessedRefused) =
            await SubmitConsciousnessAsync(device, assignments, source, decoded.Consciousness, receivedAt, cancellationToken);
        refused += assessedRefused;
        if (decoded.Accepted.Count == 0)
        {
            metrics.Accepted(assessedStored);
            return new DeviceMessageOutcome(assessedStored, assessedRepeats, refused + assessedConflicts, false);
        }
        var recordIndexes = new Dictionary<Reading, int>(ReferenceEqualityComparer.Instance);
        var readings = new List<Reading>(decoded.Accepted.Count);
        foreach (var record in decoded.Accepted)
        {
            if (!device.Type.MaySend(record.Kind))
            {
                refused++;
                await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.NotAllowedForDeviceType,
                    RejectionDetail.For(record.RecordIndex, $"a {device.Type.WireName()} does not send {record.Kind.WireName()}")), cancellationToken);
                continue;
            }
            if (assignments.PatientAt(record.DeviceTime) is not { } patientId)
            {
                refused++;
                await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.DeviceNotAssigned,
                    RejectionDetail.For(record.RecordIndex, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"nobody had this device at {record.DeviceTime:yyyy-MM-ddTHH:mm:ss.fffZ}"))), cancellationToken);
                continue;
            }
            var reading = new Reading(device.DeviceId, patientId, record.Kind, record.Value, record.DeviceTime, receivedAt);
            recordIndexes[reading] = record.RecordIndex;
            readings.Add(reading);
        }
        if (readings.Count == 0)
        {
            metrics.Accepted(assessedStored);
            return new DeviceMessageOutcome(assessedStored, assessedRepeats, refused + assessedConflicts, false);
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
        metrics.Accepted(result.Stored + assessedStored);
        var rejectedCount = refused + result.Conflicts.Count + assessedConflicts;
        return new DeviceMessageOutcome(result.Stored + assessedStored, readings.Count - result.Stored - result.Conflicts.Count + assessedRepeats, rejectedCount, false);
    }

    private async Task<(int Stored, int Repeats, int Conflicts, int Refused)> SubmitConsciousnessAsync(
        DeviceRecord device, DeviceAssignments assignments, string source, IReadOnlyList<DecodedConsciousness> assessments,
        DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var (stored, repeats, conflicts, refused) = (0, 0, 0, 0);
        foreach (var assessment in assessments)
        {
            // Filed, like a reading, under whoever had the device when the assessment was made.
            if (assignments.PatientAt(assessment.ObservedAt) is not { } patientId)
            {
                refused++;
                await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.DeviceNotAssigned,
                    RejectionDetail.For(assessment.RecordIndex, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"nobody had this device at {assessment.ObservedAt:yyyy-MM-ddTHH:mm:ss.fffZ}"))), cancellationToken);
                continue;
            }
            var observation = new ConsciousnessObservation(patientId, assessment.Level, assessment.ObservedAt, receivedAt, DeviceId: device.DeviceId);
            switch (await sink.SubmitConsciousnessAsync(observation, cancellationToken))
            {
                case ConsciousnessAppendResult.Stored:
                    stored++;
                    break;
                case ConsciousnessAppendResult.Repeat:
                    repeats++;
                    break;
                default:
                    conflicts++;
                    await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.ConflictingDuplicate,
                        RejectionDetail.For(assessment.RecordIndex, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                            $"consciousness at {assessment.ObservedAt:yyyy-MM-ddTHH:mm:ss.fffZ} is already recorded differently; the recorded one is kept"))),
                        cancellationToken);
                    break;
            }
        }
        return (stored, repeats, conflicts, refused);
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
        var decodedEvent = decoded.Event!;
        if (!device.Type.MaySend(decodedEvent.Type))
        {
            await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.NotAllowedForDeviceType,
                $"A {device.Type.WireName()} does not send {decodedEvent.Type.WireName()}."), cancellationToken);
            return new DeviceMessageOutcome(0, 0, 1, false);
        }
        var assignments = await registry.GetAssignmentsAsync(device.DeviceId, cancellationToken);
        if (assignments.PatientAt(decodedEvent.DeviceTime) is not { } patientId)
        {
            await RejectAsync(new Rejection(receivedAt, device.DeviceId, source, RejectionReasons.DeviceNotAssigned,
                string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Nobody had this device at {decodedEvent.DeviceTime:yyyy-MM-ddTHH:mm:ss.fffZ}; the event is not filed against anyone.")), cancellationToken);
            return new DeviceMessageOutcome(0, 0, 1, false);
        }
        var telecareEvent = new TelecareEvent(device.DeviceId, patientId, decodedEvent.Type, decodedEvent.DeviceTime, receivedAt);
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
        // A status is sent as it is made, so its own time minus the receive time is the device clock's offset (plus a
        // network delay of milliseconds). Recorded per device and flagged on it beyond Devices:ClockSkewFlag.
        TimeSpan? clockOffset = status.ClockReported ? status.DeviceTime - receivedAt : null;
        if (clockOffset is { } offset && offset.Duration() > options.Value.ClockSkewFlag)
        {
            LogClockSkew(logger, device.DeviceId, (long)offset.TotalSeconds);
        }
        await registry.RecordHeartbeatAsync(device.DeviceId,
            new DeviceHeartbeat(status.DeviceTime, status.BatteryPercent, status.Firmware, clockOffset), cancellationToken);
        // A heartbeat tells a person's monitoring that the device is alive: only while somebody has it.
        var assignments = await registry.GetAssignmentsAsync(device.DeviceId, cancellationToken);
        if (assignments.PatientAt(status.DeviceTime) is { } patientId)
        {
            await sink.SubmitStatusAsync(
                new DeviceStatusReport(device.DeviceId, patientId, status.BatteryPercent, status.DeviceTime, receivedAt,
                    device.Type.WireName(), status.Interval),
                cancellationToken);
        }
        metrics.Accepted(1);
        return new DeviceMessageOutcome(1, 0, 0, false);
    }

    private async ValueTask RateLimitedAsync(string deviceId, string source, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var clipped = UntrustedText.Clip(deviceId);
        var tally = _rateLimitTally.Count(clipped);
        if (!tally.Report)
        {
            metrics.Rejected(RejectionReasons.RateLimited);
            return;
        }
        var settings = options.Value;
        var detail = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"More than {settings.Burst} messages at once or {settings.MessagesPerSecond} a second from this device; refused, send again later.");
        if (tally.SuppressedBefore > 0)
        {
            detail += string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $" {tally.SuppressedBefore} more were refused in the previous minute (counted, not listed).");
        }
        await RejectAsync(new Rejection(receivedAt, clipped, source, RejectionReasons.RateLimited, detail), cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Device {DeviceId} clock is {OffsetSeconds} s off the platform's")]
    private static partial void LogClockSkew(ILogger logger, string deviceId, long offsetSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store a {Channel} message of device {DeviceId}; it will be redelivered")]
    private static partial void LogStorageFailed(ILogger logger, Exception exception, string deviceId, DeviceChannel channel);
}
