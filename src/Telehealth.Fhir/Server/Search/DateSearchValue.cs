using System.Globalization;
using System.Text.RegularExpressions;

namespace Telehealth.Fhir.Server.Search;

/// <summary>
/// One value of a FHIR date search parameter, e.g. <c>ge2025-03-01</c> or <c>lt2025-03-01T10:15:00.250Z</c>.
/// A value stands for the whole range its precision covers: <c>2025-03-01</c> is that whole (UTC) day, and
/// <c>2025-03-01T10:15</c> that whole minute. Values without a time zone are read as UTC, the zone devices report in.
/// </summary>
/// <param name="Start">Inclusive start of the range the value covers.</param>
/// <param name="End">Exclusive end of the range the value covers.</param>
public sealed partial record DateSearchValue(DatePrefix Prefix, DateTimeOffset Start, DateTimeOffset End)
{
    private static readonly Dictionary<string, DatePrefix> Prefixes = new(StringComparer.Ordinal)
    {
        ["eq"] = DatePrefix.Eq, ["ne"] = DatePrefix.Ne, ["gt"] = DatePrefix.Gt, ["lt"] = DatePrefix.Lt,
        ["ge"] = DatePrefix.Ge, ["le"] = DatePrefix.Le, ["sa"] = DatePrefix.Sa, ["eb"] = DatePrefix.Eb,
    };

    /// <summary>Parses a value with an optional prefix; the error says what a valid value looks like.</summary>
    public static bool TryParse(string text, out DateSearchValue? value, out string? error)
    {
        value = null;
        error = null;
        var prefix = DatePrefix.Eq;
        var dateText = text;
        if (text.Length >= 2 && char.IsAsciiLetter(text[0]))
        {
            if (!Prefixes.TryGetValue(text[..2], out prefix))
            {
                error = $"'{text}' has an unknown prefix '{text[..2]}': use eq, ne, gt, ge, lt, le, sa or eb.";
                return false;
            }
            dateText = text[2..];
        }
        // A '+' in an unencoded query string arrives as a space; a time zone offset is the only place one can be.
        dateText = dateText.Replace(' ', '+');
        var match = DatePattern().Match(dateText);
        if (!match.Success)
        {
            error = $"'{text}' is not a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.fff]][Z|±hh:mm]).";
            return false;
        }
        try
        {
            var (start, end) = RangeOf(match);
            value = new DateSearchValue(prefix, start, end);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            error = $"'{text}' is not a real date or time.";
            return false;
        }
    }

    /// <summary>Whether an instant (a device time, to the millisecond) satisfies this value.</summary>
    public bool Matches(DateTimeOffset instant) => Prefix switch
    {
        DatePrefix.Eq => instant >= Start && instant < End,
        DatePrefix.Ne => instant < Start || instant >= End,
        DatePrefix.Gt or DatePrefix.Sa => instant >= End,
        DatePrefix.Ge => instant >= Start,
        DatePrefix.Lt or DatePrefix.Eb => instant < Start,
        DatePrefix.Le => instant < End,
        _ => false,
    };

    /// <summary>The smallest [From, To) window holding every matching instant (null = open), so stores can be asked for less.</summary>
    public (DateTimeOffset? From, DateTimeOffset? To) Window => Prefix switch
    {
        DatePrefix.Eq => (Start, End),
        DatePrefix.Gt or DatePrefix.Sa => (End, null),
        DatePrefix.Ge => (Start, null),
        DatePrefix.Lt or DatePrefix.Eb => (null, Start),
        DatePrefix.Le => (null, End),
        _ => (null, null),
    };

    /// <summary>The window every value must hold at once (several date parameters are ANDed).</summary>
    public static (DateTimeOffset? From, DateTimeOffset? To) Intersect(IEnumerable<DateSearchValue> values)
    {
        DateTimeOffset? from = null;
        DateTimeOffset? to = null;
        foreach (var (valueFrom, valueTo) in values.Select(v => v.Window))
        {
            if (valueFrom is { } f && (from is null || f > from))
            {
                from = f;
            }
            if (valueTo is { } t && (to is null || t < to))
            {
                to = t;
            }
        }
        return (from, to);
    }

    private static (DateTimeOffset Start, DateTimeOffset End) RangeOf(Match match)
    {
        int Part(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        var year = Part("year");
        if (!match.Groups["month"].Success)
        {
            var startOfYear = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            return (startOfYear, startOfYear.AddYears(1));
        }
        var month = Part("month");
        if (!match.Groups["day"].Success)
        {
            var startOfMonth = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            return (startOfMonth, startOfMonth.AddMonths(1));
        }
        var day = Part("day");
        if (!match.Groups["hour"].Success)
        {
            var startOfDay = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            return (startOfDay, startOfDay.AddDays(1));
        }
        var offset = TimeSpan.Zero;
        if (match.Groups["zone"].Success && match.Groups["zone"].Value != "Z")
        {
            var zone = match.Groups["zone"].Value;
            offset = new TimeSpan(int.Parse(zone[1..3], CultureInfo.InvariantCulture), int.Parse(zone[4..6], CultureInfo.InvariantCulture), 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }
        var hour = Part("hour");
        var minute = Part("minute");
        if (!match.Groups["second"].Success)
        {
            var startOfMinute = new DateTimeOffset(year, month, day, hour, minute, 0, offset);
            return (startOfMinute, startOfMinute.AddMinutes(1));
        }
        var startOfSecond = new DateTimeOffset(year, month, day, hour, minute, Part("second"), offset);
        if (!match.Groups["fraction"].Success)
        {
            return (startOfSecond, startOfSecond.AddSeconds(1));
        }
        // Beyond 100 ns (one tick) the extra digits cannot be represented; they narrow nothing further.
        var digits = match.Groups["fraction"].Value[..Math.Min(7, match.Groups["fraction"].Value.Length)];
        var ticks = long.Parse(digits.PadRight(7, '0'), CultureInfo.InvariantCulture);
        var width = (long)Math.Pow(10, 7 - digits.Length);
        var start = startOfSecond.AddTicks(ticks);
        return (start, start.AddTicks(width));
    }

    [GeneratedRegex(@"^(?<year>\d{4})(-(?<month>0[1-9]|1[0-2])(-(?<day>\d{2})(T(?<hour>[01]\d|2[0-3]):(?<minute>[0-5]\d)(:(?<second>[0-5]\d)(\.(?<fraction>\d+))?)?(?<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DatePattern();
}
