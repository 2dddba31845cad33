using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Follows the alert event log into the outbox: each event's alert state becomes its Flag (and Task). It reads the whole
/// log from the start, so the care record gets every change; a repeat after a crash is skipped by the outbox, which
/// ignores a resource whose content it already holds.
/// </summary>
public sealed class FhirAlertEventFollower(FhirOutboxWriter writer) : IAlertEventFollower
{
    public string Name => "fhir-outbox";

    public bool StartsAtLatest => false;

    public async Task HandleAsync(IReadOnlyList<AlertEventRecord> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var alertEvent in events)
        {
            await writer.EnqueueAlertAsync(alertEvent.Alert, cancellationToken);
        }
    }
}
