using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// What a rule found. <see cref="Reason"/> is for staff and may contain values ("SpO2 84 % below critical low
/// 91 %"); <see cref="Code"/> is value-free and is what logs carry (<c>below_critical_low</c>).
/// </summary>
/// <param name="ConditionKey">One open alert per patient and key, e.g. <c>threshold:spo2</c>, <c>silence:dev-1</c>.</param>
/// <param name="Instantaneous">A one-off event (pendant press) rather than a state that can clear.</param>
/// <param name="ObservedAt">When the data behind the finding was measured (effective time) or the deadline passed.</param>
/// <param name="Device">The device concerned: always set for missing-data findings.</param>
/// <param name="Measure">
/// How far out the condition is, larger is worse (mmHg below the band, NEWS2 points). After acknowledgement a
/// finding whose measure rose by at least <see cref="ReopenStep"/> re-opens the alert even at the same severity.
/// </param>
/// <param name="SelfClearing">
/// The alert resolves by itself when the rule answers False, even unacknowledged: missing data that arrived
/// (a silent device heard again) needs nobody. Clinical conditions never self-clear while unacknowledged.
/// </param>
public sealed record RuleFinding(
    string ConditionKey,
    AlertSeverity Severity,
    string Code,
    string Reason,
    bool Instantaneous,
    DateTimeOffset ObservedAt,
    DeviceRef? Device = null,
    double? Measure = null,
    double? ReopenStep = null,
    bool SelfClearing = false);
