namespace Telehealth.CareRecord.Alerting;

/// <summary>How an alert was resolved. Wire names are snake_case.</summary>
public enum AlertOutcome
{
    ActionTaken,
    NoActionNeeded,
    ReferredToPartner,
    FalseAlarm,

    /// <summary>Resolved by the system: the condition cleared (with hysteresis) after acknowledgement, or missing data arrived.</summary>
    AutoCleared,
}
