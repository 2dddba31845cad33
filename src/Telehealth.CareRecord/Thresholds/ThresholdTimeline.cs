namespace Telehealth.CareRecord.Thresholds;

/// <summary>
/// Every set of thresholds a person has had, each from the moment it was set. A reading is judged against the set in
/// force at its device time, by the alert rules and in the FHIR Observation alike, so the two never disagree about
/// one reading when a clinician changes the limits between its measurement and its evaluation.
/// </summary>
public sealed class ThresholdTimeline
{
    private readonly (DateTimeOffset From, ThresholdSet Set)[] _sets;

    /// <param name="sets">Each set with the moment it came into force; order does not matter. Later entries for the
    /// same moment win (two changes within one millisecond: the second is the one that stayed).</param>
    public ThresholdTimeline(IEnumerable<(DateTimeOffset From, ThresholdSet Set)> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        _sets = sets.Select((entry, index) => (entry, index))
            .OrderBy(pair => pair.entry.From).ThenBy(pair => pair.index)
            .Select(pair => pair.entry)
            .ToArray();
    }

    /// <summary>A person whose limits were never changed: the defaults at every moment.</summary>
    public static ThresholdTimeline DefaultsOnly { get; } = new([]);

    /// <summary>The thresholds in force at <paramref name="at"/>: the last set from at or before it, else the defaults.</summary>
    public ThresholdSet At(DateTimeOffset at)
    {
        var inForce = ThresholdSet.Defaults;
        foreach (var (from, set) in _sets)
        {
            if (from > at)
            {
                break;
            }
            inForce = set;
        }
        return inForce;
    }

    /// <summary>Every set with the moment it came into force, oldest first (a person's page shows each change).</summary>
    public IReadOnlyList<(DateTimeOffset From, ThresholdSet Set)> Sets => _sets;

    /// <summary>The thresholds in force now (the latest set).</summary>
    public ThresholdSet Current => _sets.Length == 0 ? ThresholdSet.Defaults : _sets[^1].Set;
}
