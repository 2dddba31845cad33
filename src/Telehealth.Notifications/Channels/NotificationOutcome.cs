namespace Telehealth.Notifications.Channels;

public enum NotificationOutcome
{
    /// <summary>The receiving server accepted it (SMTP 250, HTTP 2xx).</summary>
    Delivered,

    /// <summary>Refused in a way a retry cannot change (SMTP 5xx, HTTP 4xx other than 408/429, channel not configured).</summary>
    Rejected,

    /// <summary>May pass later (connection error, timeout, SMTP 4xx, HTTP 5xx/408/429), after this send's retries.</summary>
    Transient,
}
