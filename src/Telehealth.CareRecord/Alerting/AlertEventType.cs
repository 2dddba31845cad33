namespace Telehealth.CareRecord.Alerting;

/// <summary>What happened to an alert. Wire names are snake_case (<c>follow_up_started</c>).</summary>
public enum AlertEventType
{
    Raised,
    Updated,
    Reopened,
    Acknowledged,
    Assigned,
    Escalated,
    Snoozed,
    Unsnoozed,
    FollowUpStarted,
    Resolved,
    AutoCleared,
    NotificationSent,
    NotificationFailed,

    /// <summary>A follow-up call: subject is the outcome, until the retry time (see <c>FollowUp.FollowUpCalls</c>).</summary>
    CallAttempted,
}
