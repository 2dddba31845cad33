namespace Telehealth.Alerts.Recording;

/// <summary>
/// Everything one evaluation (or one staff action) changed for a patient, recorded in one transaction: the alerts, their
/// events, and the due items of the evaluation queue that are thereby done. A crash leaves all of it or none of it.
/// </summary>
public sealed record AlertCommit(string PatientId, IReadOnlyList<AlertChange> Changes, IReadOnlyCollection<long> CompletedDueItems)
{
    public bool IsEmpty => Changes.Count == 0 && CompletedDueItems.Count == 0;
}
