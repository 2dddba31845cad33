namespace Telehealth.CareRecord.FollowUp;

/// <summary>
/// Telephone follow-up timing: how soon the first call is due after an alert is raised (by severity), how long to wait
/// before calling again after no answer, and how many unreached attempts in a row re-open the alert so it escalates
/// through the duty rota again.
/// </summary>
public sealed record CallPolicy(
    TimeSpan FirstCallCritical,
    TimeSpan FirstCallHigh,
    TimeSpan FirstCallMedium,
    TimeSpan FirstCallLow,
    TimeSpan RetryAfter,
    int MaxUnreachedAttempts)
{
    /// <summary>Defaults: first call within 15 min (critical), 30 min (high), 2 h (medium), 24 h (low); retry after 15 min; 3 unreached attempts escalate.</summary>
    public static CallPolicy Default { get; } = new(
        TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(24), TimeSpan.FromMinutes(15), 3);

    public TimeSpan FirstCallTarget(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => FirstCallCritical,
        AlertSeverity.High => FirstCallHigh,
        AlertSeverity.Medium => FirstCallMedium,
        _ => FirstCallLow,
    };
}
