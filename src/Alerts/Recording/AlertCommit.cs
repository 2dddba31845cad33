using Telehealth.CareRecord.Alerting;

namespace Telehealth.Alerts.Recording;

/// <summary>
/// Everything one evaluation (or one staff action) changed for a patient, recorded in one transaction: the alerts and
/// their events as the core's lifecycle decided them (<see cref="AlertChange"/>), and the due items of the evaluation
/// queue that are thereby done. A change without events (a repeat counted in the alert) still writes the alert; a
/// refused change writes nothing. A crash leaves all of it or none of it.
/// </summary>
public sealed record AlertCommit(string PatientId, IReadOnlyList<AlertChange> Changes, IReadOnlyCollection<long> CompletedDueItems)
{
    public bool IsEmpty => Changes.All(change => change.Refused is not null) && CompletedDueItems.Count == 0;
}
