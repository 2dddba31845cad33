using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Ingestion;

/// <summary>
/// Where the gateway hands decoded, authenticated device data. Each call completes only once the data is
/// durably stored (so the gateway can acknowledge the MQTT message after, and never before, that point).
/// </summary>
public interface IIngestSink
{
    /// <returns>How many of <paramref name="readings"/> were new (repeats of stored readings are not counted), and the
    /// readings refused as conflicting with a stored value.</returns>
    ValueTask<ReadingSubmissionResult> SubmitReadingsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);

    /// <returns>True when the event was new, false when it repeated a stored one.</returns>
    ValueTask<bool> SubmitEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default);

    /// <summary>An ACVPU assessment a device reported; stored before this completes.</summary>
    ValueTask<ConsciousnessAppendResult> SubmitConsciousnessAsync(ConsciousnessObservation observation, CancellationToken cancellationToken = default);

    ValueTask SubmitStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken = default);
}
