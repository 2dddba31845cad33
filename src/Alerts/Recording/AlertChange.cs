using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.Alerts.Recording;

/// <summary>A lifecycle decision with the event it writes to the log.</summary>
public sealed record AlertChange(AlertDecision Decision, AlertEventType Type, string Actor)
{
    /// <summary>The actor of changes made by the rules rather than by a person.</summary>
    public const string SystemActor = "system";

    /// <summary>
    /// Names the event for a decision by comparing the alert before and after it. The lifecycle decides; this only
    /// says, for the log, which of its transitions happened.
    /// </summary>
    public static AlertChange Of(AlertDecision decision, Alert? before, string actor)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var after = decision.Alert;
        var type = decision.Kind switch
        {
            AlertDecisionKind.Raised => AlertEventType.Raised,
            _ when after.IsClosed && before is { IsClosed: false } => AlertEventType.Closed,
            _ when before is { Status: AlertStatus.Acknowledged } && after.Status == AlertStatus.Open => AlertEventType.Reopened,
            _ when before is { Status: AlertStatus.Open } && after.Status == AlertStatus.Acknowledged => AlertEventType.Acknowledged,
            _ when before is { ConditionActive: true } && !after.ConditionActive => AlertEventType.ConditionCleared,
            _ => AlertEventType.Updated,
        };
        return new AlertChange(decision, type, actor);
    }
}
