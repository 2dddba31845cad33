namespace Telehealth.CareRecord.Monitoring;

/// <summary>Each person's monitoring plan and every change to it (who, when, why).</summary>
public interface IMonitoringPlanStore
{
    /// <summary>The plan in force; null when none was ever set (nothing is expected beyond what devices declare).</summary>
    Task<MonitoringPlan?> GetAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the person's plan (expectations already in force keep their start), records the change, and queues
    /// the person's rules for re-evaluation in the same step, so a new expectation is watched at once.
    /// </summary>
    Task<MonitoringPlan> SaveAsync(MonitoringPlan plan, MonitoringPlanChange change, CancellationToken cancellationToken = default);

    /// <summary>Every change, oldest first.</summary>
    Task<IReadOnlyList<MonitoringPlanRevision>> GetHistoryAsync(string patientId, CancellationToken cancellationToken = default);
}
