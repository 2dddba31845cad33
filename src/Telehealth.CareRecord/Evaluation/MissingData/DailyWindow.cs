namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <summary>
/// A window that recurs every day in the person's local time ("a blood pressure between 07:00 and 11:00",
/// "movement between 07:00 and 10:00"), turned into UTC instants day by day so daylight saving is honoured:
/// 11:00 in Europe/London is 11:00 UTC in winter and 10:00 UTC in summer. A local time that does not exist
/// (the spring-forward gap) is taken at the offset in force before the gap, i.e. as soon as the clocks pass it;
/// a local time that happens twice (autumn) is taken at its first occurrence, so a deadline is never late.
/// </summary>
/// <param name="Closes">Local time the window closes (the expected time plus any grace).</param>
public sealed record DailyWindow(TimeOnly Opens, TimeOnly Closes, TimeZoneInfo Zone)
{
    /// <summary>The UTC interval of the window that closes on local day <paramref name="day"/>.</summary>
    public (DateTimeOffset Opens, DateTimeOffset Closes) On(DateOnly day)
    {
        var closes = ToUtc(day.ToDateTime(Closes));
        // A window that opens "after" it closes (22:00–02:00) opened the evening before.
        var opensDay = Opens <= Closes ? day : day.AddDays(-1);
        return (ToUtc(opensDay.ToDateTime(Opens)), closes);
    }

    /// <summary>The latest window that has closed at or before <paramref name="now"/>.</summary>
    public (DateTimeOffset Opens, DateTimeOffset Closes) LatestClosed(DateTimeOffset now)
    {
        var day = LocalDay(now);
        var window = On(day);
        return window.Closes <= now ? window : On(day.AddDays(-1));
    }

    /// <summary>The first close strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset NextClose(DateTimeOffset now)
    {
        var day = LocalDay(now);
        var close = On(day).Closes;
        return close > now ? close : On(day.AddDays(1)).Closes;
    }

    /// <summary>
    /// When watching can start so that only whole windows are judged: <paramref name="since"/> itself, or, when a
    /// window is already open at <paramref name="since"/>, its close. What came before an expectation existed was not
    /// watched, so judging the window it started in could only raise a false "missing".
    /// </summary>
    public DateTimeOffset FirstWholeWindowFrom(DateTimeOffset since)
    {
        var close = NextClose(since);
        var (opens, _) = LatestClosed(close);
        return opens < since ? close : since;
    }

    private DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    private DateTimeOffset ToUtc(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (Zone.IsInvalidTime(local))
        {
            offset = Zone.GetUtcOffset(local.AddHours(-3));
        }
        else if (Zone.IsAmbiguousTime(local))
        {
            // First occurrence: the larger offset (summer time) gives the earlier instant.
            offset = Zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = Zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
