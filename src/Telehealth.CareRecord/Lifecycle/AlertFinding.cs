namespace Telehealth.CareRecord.Lifecycle;

/// <summary>A rule's conclusion that a condition is present for a patient.</summary>
/// <param name="Instantaneous">
/// True for a one-off event (pendant press, fall) that has nothing to clear: its alert closes when acknowledged.
/// False for a state (a vital out of range) that stays active until a normal observation clears it.
/// </param>
/// <param name="ObservedAt">When the underlying data was measured (device time).</param>
public sealed record AlertFinding(
    string ConditionKey,
    AlertSeverity Severity,
    string Reason,
    bool Instantaneous,
    DateTimeOffset ObservedAt);
