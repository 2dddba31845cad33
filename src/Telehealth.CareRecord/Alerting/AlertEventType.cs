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
}
