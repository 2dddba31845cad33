namespace Telehealth.Notifications.Outbox;

public enum NotificationStatus
{
    /// <summary>Waiting for its first or next delivery pass.</summary>
    Pending,

    /// <summary>Accepted by the receiving server.</summary>
    Sent,

    /// <summary>Rejected, or still failing after the last pass allowed: kept with the last answer, never sent again.</summary>
    Failed,
}
