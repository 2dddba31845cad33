namespace Telehealth.CareRecord.Alerting;

/// <summary>Durable alerts. At most one not-resolved alert exists per (patient, condition key).</summary>
public interface IAlertStore
{
    /// <summary>The patient's not-resolved alert for the condition, or null.</summary>
    Task<AlertCase?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default);

    /// <summary>Every not-resolved alert of the patient (what the lifecycle needs to join a new alert to its incident).</summary>
    Task<IReadOnlyList<AlertCase>> ListActiveForPatientAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records one evaluation's or one staff action's changes in one transaction: the alerts (inserted or updated), the
    /// events of each change in the alert event log, and the evaluation-queue items they complete. Returns the events
    /// with their sequences. A change without events still writes its alert (a repeat is counted in it); a refused
    /// change writes nothing.
    /// </summary>
    /// <exception cref="DuplicateActiveAlertException">A raised alert collides with a not-resolved one; nothing is recorded.</exception>
    /// <exception cref="AlertChangedConcurrentlyException">An alert is no longer at its <see cref="AlertCommit.ExpectedVersions"/>; nothing is recorded.</exception>
    Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Several patients' commits (one evaluation pass) in one transaction: every one of them is recorded, or, when any
    /// fails, none is (the caller then commits them one by one to find the one that fails). Returns each commit's events
    /// in the order of <paramref name="commits"/>. One transaction per pass instead of one per patient is what keeps a
    /// pass short under load (see bench/RESULTS.md, alert latency).
    /// </summary>
    Task<IReadOnlyList<IReadOnlyList<AlertEventRecord>>> CommitManyAsync(IReadOnlyList<AlertCommit> commits, CancellationToken cancellationToken = default);

    Task<AlertCase?> GetAsync(Guid alertId, CancellationToken cancellationToken = default);

    /// <summary>The alert with its version, for a decision that must be recorded only if nobody changed it meanwhile.</summary>
    Task<StoredAlert?> GetStoredAsync(Guid alertId, CancellationToken cancellationToken = default);

    /// <summary>Alerts matching the query, newest raised first.</summary>
    Task<IReadOnlyList<AlertCase>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default);
}
