namespace Telehealth.CareRecord.FollowUp;

/// <summary>
/// One call about an alert, kept in the alert itself (so alarm, calls and outcome are one record, and every event's
/// snapshot of the alert carries the calls so far).
/// </summary>
/// <param name="Number">1 for the first call about the alert.</param>
/// <param name="Notes">Staff text: may contain values or names, so it is never logged and never leaves in FHIR.</param>
/// <param name="RetryAt">When to call again (an unreached attempt below the limit); null otherwise.</param>
/// <param name="Escalated">This attempt reached the limit of unreached attempts and re-opened the alert.</param>
public sealed record CallAttempt(
    int Number,
    DateTimeOffset At,
    string By,
    CallOutcome Outcome,
    IReadOnlyList<CallAction> Actions,
    string? Notes,
    DateTimeOffset? RetryAt,
    bool Escalated);
