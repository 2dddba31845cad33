namespace Telehealth.CareRecord.Escalation;

/// <summary>One person on duty from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive); entries are tried in list order.</summary>
public sealed record RotaEntry(string Username, RotaContact Contact, DateTimeOffset Start, DateTimeOffset End);
