namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// How fast an alert must be acknowledged, and how often escalation repeats while it is not. Defaults:
/// Critical 30 min (RCP NEWS2: aggregate ≥ 7, emergency response, commonly within 30 minutes); High and Medium
/// 1 h (aggregate 5–6 or a single parameter scoring 3: urgent response within 1 hour); Low 24 h (device faults
/// and battery: not a clinical response, next working day). A Critical telecare event (pendant press, fall,
/// smoke, CO, flood) follows alarm call handling (TSA: answered within 60 s, 99 % within 3 minutes): deadline
/// 60 s and re-escalation every 60 s. Teams set their own; these are the defaults.
/// </summary>
public sealed record ResponsePolicy(
    TimeSpan Critical,
    TimeSpan High,
    TimeSpan Medium,
    TimeSpan Low,
    TimeSpan TelecareCritical,
    TimeSpan RepeatCritical,
    TimeSpan RepeatHigh,
    TimeSpan RepeatMedium,
    TimeSpan RepeatLow,
    TimeSpan MaxSnooze)
{
    public static ResponsePolicy Default { get; } = new(
        Critical: TimeSpan.FromMinutes(30),
        High: TimeSpan.FromHours(1),
        Medium: TimeSpan.FromHours(1),
        Low: TimeSpan.FromHours(24),
        TelecareCritical: TimeSpan.FromSeconds(60),
        RepeatCritical: TimeSpan.FromMinutes(10),
        RepeatHigh: TimeSpan.FromMinutes(15),
        RepeatMedium: TimeSpan.FromMinutes(30),
        RepeatLow: TimeSpan.FromHours(4),
        MaxSnooze: TimeSpan.FromHours(2));

    /// <summary>Time from raising (or re-opening) to the response deadline.</summary>
    public TimeSpan DeadlineFor(AlertSeverity severity, string conditionKey) =>
        IsTelecareCritical(severity, conditionKey) ? TelecareCritical : severity switch
        {
            AlertSeverity.Critical => Critical,
            AlertSeverity.High => High,
            AlertSeverity.Medium => Medium,
            _ => Low,
        };

    /// <summary>Time between escalation steps after the deadline has passed.</summary>
    public TimeSpan RepeatFor(AlertSeverity severity, string conditionKey) =>
        IsTelecareCritical(severity, conditionKey) ? TelecareCritical : severity switch
        {
            AlertSeverity.Critical => RepeatCritical,
            AlertSeverity.High => RepeatHigh,
            AlertSeverity.Medium => RepeatMedium,
            _ => RepeatLow,
        };

    private static bool IsTelecareCritical(AlertSeverity severity, string conditionKey) =>
        severity == AlertSeverity.Critical && conditionKey.StartsWith("event:", StringComparison.Ordinal);
}
