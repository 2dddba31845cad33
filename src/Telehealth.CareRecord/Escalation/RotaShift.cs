namespace Telehealth.CareRecord.Escalation;

/// <summary>One person on duty from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public sealed record RotaShift(string StaffId, DateTimeOffset Start, DateTimeOffset End)
{
    public bool Covers(DateTimeOffset instant) => Start <= instant && instant < End;
}
