namespace Telehealth.CareRecord.Alerting;

/// <summary>Where an alert is in its life: Open → Acknowledged → InFollowUp → Resolved (re-opened when it gets worse).</summary>
public enum AlertCaseStatus
{
    /// <summary>Raised (or re-opened) and nobody has taken it on: escalation runs.</summary>
    Open,

    /// <summary>A member of staff has taken it on (who and when are recorded).</summary>
    Acknowledged,

    /// <summary>Someone is acting on it (a call, a visit, a referral).</summary>
    InFollowUp,

    /// <summary>Closed with an outcome; history. A new finding raises a new alert.</summary>
    Resolved,
}
