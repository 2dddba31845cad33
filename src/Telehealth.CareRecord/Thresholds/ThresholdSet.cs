using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Thresholds;

/// <summary>
/// The thresholds in force for one person: the platform defaults, with each per-patient override replacing
/// the default for its whole vital kind (bounds are never mixed between a default and an override).
/// </summary>
public sealed class ThresholdSet
{
    private readonly IReadOnlyDictionary<VitalKind, VitalThreshold> _byKind;
    private readonly IReadOnlySet<VitalKind> _overridden;

    private ThresholdSet(IReadOnlyDictionary<VitalKind, VitalThreshold> byKind, IReadOnlySet<VitalKind> overridden)
    {
        _byKind = byKind;
        _overridden = overridden;
        All = VitalKinds.All.Where(byKind.ContainsKey).Select(kind => byKind[kind]).ToArray();
    }

    /// <summary>
    /// Adult community defaults. The Normal bands follow usual adult resting ranges; the critical bounds sit
    /// where NEWS2 (RCP 2017) already gives a parameter 3 points or close to it, so a critical threshold alert
    /// agrees with the deterioration score rather than competing with it.
    /// </summary>
    public static ThresholdSet Defaults { get; } = new(
        new[]
        {
            // Resting adult 50–100; NEWS2 scores 3 at ≤40 and ≥131.
            new VitalThreshold(VitalKind.HeartRate, CriticalLow: 40, Low: 50, High: 100, CriticalHigh: 130),
            // BTS target 94–98 % on air; NEWS2 scale 1 scores 3 at ≤91. No upper bound on air.
            new VitalThreshold(VitalKind.Spo2, CriticalLow: 91, Low: 94, High: null, CriticalHigh: null),
            // NEWS2 scores 3 at ≤90; 160 is the NICE stage 2 hypertension clinic level, 200 a hypertensive emergency level.
            new VitalThreshold(VitalKind.SystolicBp, CriticalLow: 90, Low: 100, High: 160, CriticalHigh: 200),
            new VitalThreshold(VitalKind.DiastolicBp, CriticalLow: 40, Low: 50, High: 100, CriticalHigh: 120),
            // NEWS2 bands: ≤35.0 scores 3, ≥39.1 scores 2; 36.1–38.0 is the 0-point band.
            new VitalThreshold(VitalKind.BodyTemperature, CriticalLow: 35.0, Low: 36.0, High: 38.0, CriticalHigh: 39.1),
            // NEWS2 0-point band 12–20; 3 points at ≤8 and ≥25.
            new VitalThreshold(VitalKind.RespiratoryRate, CriticalLow: 8, Low: 12, High: 20, CriticalHigh: 25),
            // Hypoglycaemia below 4.0 mmol/L ("4 is the floor"), severe below 3.0; 11.0 is the usual upper target, 20 needs urgent review.
            new VitalThreshold(VitalKind.BloodGlucose, CriticalLow: 3.0, Low: 4.0, High: 11.0, CriticalHigh: 20.0),
            // Body weight has no population default: weight-gain limits (heart failure) are set per person.
        }.ToDictionary(threshold => threshold.Kind),
        new HashSet<VitalKind>());

    /// <summary>Every threshold in force, in <see cref="VitalKind"/> order.</summary>
    public IReadOnlyList<VitalThreshold> All { get; }

    public VitalThreshold? For(VitalKind kind) => _byKind.GetValueOrDefault(kind);

    /// <summary>True when the threshold for <paramref name="kind"/> was set for this person rather than defaulted.</summary>
    public bool IsPersonal(VitalKind kind) => _overridden.Contains(kind);

    /// <summary>A set where each override replaces this set's threshold for its kind.</summary>
    /// <exception cref="ArgumentException">Two overrides name the same kind.</exception>
    public ThresholdSet WithOverrides(IEnumerable<VitalThreshold> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var byKind = new Dictionary<VitalKind, VitalThreshold>(_byKind);
        var overridden = new HashSet<VitalKind>(_overridden);
        var seen = new HashSet<VitalKind>();
        foreach (var threshold in overrides)
        {
            if (!seen.Add(threshold.Kind))
            {
                throw new ArgumentException($"More than one override for {threshold.Kind.WireName()}.", nameof(overrides));
            }
            byKind[threshold.Kind] = threshold;
            overridden.Add(threshold.Kind);
        }
        return new ThresholdSet(byKind, overridden);
    }
}
