namespace Telehealth.Alerts.Recording;

/// <summary>What happened to an alert. Stored by wire name (snake_case) in the append-only alert event log.</summary>
public enum AlertEventType
{
    /// <summary>A finding raised a new alert.</summary>
    Raised,

    /// <summary>A repeat or changed finding updated an open alert (reason, severity, occurrences).</summary>
    Updated,

    /// <summary>A finding worse than what staff acknowledged put the alert back to open.</summary>
    Reopened,

    /// <summary>A member of staff took the alert on.</summary>
    Acknowledged,

    /// <summary>The condition is no longer present; an unacknowledged alert stays open.</summary>
    ConditionCleared,

    /// <summary>Acknowledged and the condition gone: the alert is history.</summary>
    Closed,
}
