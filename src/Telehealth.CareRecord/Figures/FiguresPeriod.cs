namespace Telehealth.CareRecord.Figures;

/// <summary>A reporting period, from (inclusive) to (exclusive), in UTC instants.</summary>
public sealed record FiguresPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    public TimeSpan Length => To - From;

    /// <summary>The part of the period that has happened by <paramref name="now"/> (empty when it starts later).</summary>
    public (DateTimeOffset From, DateTimeOffset To) Elapsed(DateTimeOffset now) => (From, To < now ? To : (now > From ? now : From));
}
