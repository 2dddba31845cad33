namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// Rule state per (patient, rule key) and the rules' wake-ups. State is written only through
/// <see cref="Alerting.IAlertStore.CommitAsync"/>, with the alert changes of the same evaluation.
/// </summary>
public interface IRuleStateStore
{
    /// <summary>Every rule state of the patient, by rule key.</summary>
    Task<IReadOnlyDictionary<string, StoredRuleState>> LoadAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>The earliest wake-up not yet fired, or null when no rule waits for time.</summary>
    Task<DateTimeOffset?> NextWakeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Turns every wake-up due at <paramref name="now"/> into a timer item of the evaluation queue, in one transaction
    /// (a crash fires it again, and the queue's key makes that harmless). Returns how many were fired.
    /// </summary>
    Task<int> FireDueAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}
