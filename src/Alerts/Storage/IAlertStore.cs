using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.Alerts.Storage;

/// <summary>Durable alerts. At most one not-closed alert exists per (patient, condition key).</summary>
public interface IAlertStore
{
    /// <summary>The patient's not-closed alert for the condition, or null.</summary>
    Task<Alert?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default);

    /// <exception cref="DuplicateActiveAlertException">A not-closed alert already exists for its patient and condition.</exception>
    Task InsertAsync(Alert alert, CancellationToken cancellationToken = default);

    /// <summary>Stores a new version of an existing alert (matched by id).</summary>
    /// <exception cref="KeyNotFoundException">No alert has that id.</exception>
    Task UpdateAsync(Alert alert, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records one evaluation's or one staff action's changes in one transaction: the alerts (inserted or updated), an
    /// event per change in the alert event log, and the evaluation-queue items they complete. Returns the events with
    /// their sequences.
    /// </summary>
    /// <exception cref="DuplicateActiveAlertException">A raised alert collides with a not-closed one; nothing is recorded.</exception>
    Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default);

    Task<Alert?> GetAsync(Guid alertId, CancellationToken cancellationToken = default);

    /// <summary>Alerts matching the query, newest raised first.</summary>
    Task<IReadOnlyList<Alert>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default);
}
