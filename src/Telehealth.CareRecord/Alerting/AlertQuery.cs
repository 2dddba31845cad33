namespace Telehealth.CareRecord.Alerting;

/// <param name="PatientId">Only this patient's alerts when set.</param>
/// <param name="ConditionKey">Only alerts for this condition (e.g. "threshold:spo2") when set.</param>
/// <param name="Status">Only alerts in this status when set.</param>
/// <param name="ActiveOnly">Only alerts that are not resolved (open, acknowledged or in follow-up).</param>
/// <param name="Limit">Most alerts returned, newest raised first.</param>
/// <param name="TeamId">Only alerts of this team's patients when set: in the query itself, so the limit counts only
/// the team's alerts (another team's busy caseload can never push them out of the page).</param>
public sealed record AlertQuery(
    string? PatientId = null,
    string? ConditionKey = null,
    AlertCaseStatus? Status = null,
    bool ActiveOnly = false,
    int Limit = 100,
    string? TeamId = null);
