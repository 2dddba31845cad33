namespace Telehealth.CareRecord.Alerting;

/// <summary>Reason codes for lifecycle operations that are not allowed.</summary>
public static class AlertRefusals
{
    public const string AlertResolved = "alert_resolved";
    public const string OutcomeReserved = "outcome_reserved";
    public const string SnoozeNotInFuture = "snooze_not_in_future";
    public const string SnoozeTooLong = "snooze_too_long";
    public const string NotSnoozed = "not_snoozed";
}
