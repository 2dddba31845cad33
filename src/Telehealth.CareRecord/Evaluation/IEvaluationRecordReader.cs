using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Observations;

namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// Everything of one person's record that deciding their due items reads: what the stores answer one by one
/// (<see cref="IThresholdRepository.GetEffectiveAsync"/> and <see cref="IThresholdRepository.GetTimelineAsync"/>,
/// <see cref="IPatientRepository.GetAsync"/>, the latest ACVPU, <see cref="IRuleStateStore.LoadAsync"/>,
/// <see cref="IMonitoringPlanStore.GetAsync"/> and <see cref="IAlertStore.ListActiveForPatientAsync"/>), answered
/// together.
/// </summary>
/// <param name="Patient">Null for a person the care record does not hold (their care settings are then unknown).</param>
/// <param name="LatestConsciousness">The person's latest ACVPU observation, however old (the engine judges its age).</param>
/// <param name="ActiveAlerts">Alerts not resolved, oldest raised first.</param>
public sealed record EvaluationRecord(
    string PatientId,
    ThresholdSet Thresholds,
    ThresholdTimeline Timeline,
    PatientRecord? Patient,
    ConsciousnessObservation? LatestConsciousness,
    IReadOnlyDictionary<string, StoredRuleState> RuleStates,
    MonitoringPlan? Plan,
    IReadOnlyList<AlertCase> ActiveAlerts);

/// <summary>
/// Reads the records of a whole evaluation pass's people at once. An engine registers it where one request for many
/// people costs far less than a request per person and per table (PostgreSQL: one round trip of seven statements for
/// the pass, where each decision made seven of its own; docs/architecture.md, "A pass's reads"). Without it the alert
/// engine asks each store for each person, as the embedded SQLite database serves best (one read snapshot per
/// decision, <see cref="Telehealth.Contracts.Storage.IReadSnapshots"/>).
/// </summary>
public interface IEvaluationRecordReader
{
    /// <summary>
    /// The record of each person named, keyed by their id: one for every id given, also for a person the care record
    /// does not hold (then with no patient, the default thresholds and nothing else). Each table is read as it stands
    /// when its statement reaches it, as the stores' own reads are.
    /// </summary>
    Task<IReadOnlyDictionary<string, EvaluationRecord>> ReadAsync(IReadOnlyCollection<string> patientIds, CancellationToken cancellationToken = default);
}
