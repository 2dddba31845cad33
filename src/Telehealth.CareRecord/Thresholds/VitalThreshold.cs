using System.Globalization;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Thresholds;

/// <summary>
/// Alert bands for one vital sign, in its canonical unit. Any bound may be absent (SpO2 has no upper bound).
/// A value equal to a bound belongs to the milder band: with Low 94, a reading of 94 is Normal.
/// </summary>
public sealed record VitalThreshold(VitalKind Kind, double? CriticalLow, double? Low, double? High, double? CriticalHigh)
{
    public Interpretation Classify(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A reading value must be a finite number.");
        }
        if (value < CriticalLow)
        {
            return Interpretation.CriticalLow;
        }
        if (value < Low)
        {
            return Interpretation.Low;
        }
        if (value > CriticalHigh)
        {
            return Interpretation.CriticalHigh;
        }
        if (value > High)
        {
            return Interpretation.High;
        }
        return Interpretation.Normal;
    }

    /// <summary>
    /// Every problem with this threshold, empty when it is usable. Bounds must be finite, within the plausible range of
    /// the vital (<see cref="PlausibilityLimits"/>: a bound no reading can reach silently switches its alert off), and
    /// ordered CriticalLow ≤ Low &lt; High ≤ CriticalHigh (absent bounds are skipped; a low-side bound must be strictly
    /// below a high-side bound so the Normal band is never empty).
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var bounds = new (string Name, double? Value, bool HighSide)[]
        {
            (nameof(CriticalLow), CriticalLow, false),
            (nameof(Low), Low, false),
            (nameof(High), High, true),
            (nameof(CriticalHigh), CriticalHigh, true),
        };
        var plausible = PlausibilityLimits.For(Kind);
        foreach (var (name, value, _) in bounds)
        {
            if (value is { } v && !double.IsFinite(v))
            {
                problems.Add($"{Kind.WireName()}: {name} must be a finite number.");
            }
            else if (value is { } bound && !plausible.Contains(bound))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{Kind.WireName()}: {name} ({bound}) is outside the plausible range {plausible.Min}–{plausible.Max} {Kind.CanonicalUnit()}."));
            }
        }
        for (var i = 0; i < bounds.Length; i++)
        {
            for (var j = i + 1; j < bounds.Length; j++)
            {
                if (bounds[i].Value is not { } lower || bounds[j].Value is not { } upper
                    || !double.IsFinite(lower) || !double.IsFinite(upper))
                {
                    continue;
                }
                var sameSide = bounds[i].HighSide == bounds[j].HighSide;
                var ordered = sameSide ? lower <= upper : lower < upper;
                if (!ordered)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{Kind.WireName()}: {bounds[i].Name} ({lower}) must be {(sameSide ? "at most" : "below")} {bounds[j].Name} ({upper})."));
                }
            }
        }
        return problems;
    }
}
