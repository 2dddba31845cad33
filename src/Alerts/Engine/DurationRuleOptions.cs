using System.ComponentModel.DataAnnotations;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.Contracts.Readings;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// One duration rule applied to every patient, e.g. "SpO2 below 92 % for 10 minutes" (<c>Alerts:Durations:0</c>).
/// Validated at start with <see cref="AlertOptions"/>.
/// </summary>
public sealed class DurationRuleOptions
{
    /// <summary>The vital's wire name, e.g. <c>spo2</c>.</summary>
    public string Vital { get; set; } = string.Empty;

    /// <summary><c>below</c> or <c>above</c>.</summary>
    public string Direction { get; set; } = "below";

    /// <summary>The limit, in the vital's canonical unit.</summary>
    public double Limit { get; set; }

    /// <summary>How long the vital must stay beyond the limit.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The longest gap between readings over which the last value is taken to persist.</summary>
    public TimeSpan MaxGap { get; set; } = TimeSpan.FromMinutes(5);

    public AlertSeverity Severity { get; set; } = AlertSeverity.High;

    /// <summary>Once raised, how far on the good side of the limit a value must be to clear.</summary>
    public double ClearMargin { get; set; }

    public IEnumerable<string> Problems(int index)
    {
        var name = $"Alerts:Durations:{index}";
        if (!VitalKinds.TryParseWireName(Vital, out _))
        {
            yield return $"{name}:Vital '{Vital}' is not a vital wire name (spo2, heart_rate, ...).";
        }
        if (Direction is not ("below" or "above"))
        {
            yield return $"{name}:Direction must be 'below' or 'above'.";
        }
        if (!double.IsFinite(Limit))
        {
            yield return $"{name}:Limit must be a finite number.";
        }
        if (Duration < TimeSpan.FromMinutes(1) || Duration > TimeSpan.FromDays(7))
        {
            yield return $"{name}:Duration must be between 1 minute and 7 days.";
        }
        if (MaxGap < TimeSpan.FromSeconds(10) || MaxGap > TimeSpan.FromDays(1))
        {
            yield return $"{name}:MaxGap must be between 10 seconds and 1 day.";
        }
        if (!Enum.IsDefined(Severity))
        {
            yield return $"{name}:Severity must be Low, Medium, High or Critical.";
        }
        if (!double.IsFinite(ClearMargin) || ClearMargin < 0)
        {
            yield return $"{name}:ClearMargin must be zero or more.";
        }
    }

    public DurationCondition ToCondition()
    {
        VitalKinds.TryParseWireName(Vital, out var kind);
        return new DurationCondition(kind, Direction == "below", Limit, Duration, MaxGap, Severity, ClearMargin);
    }

    internal static ValidationResult? Validate(IReadOnlyList<DurationRuleOptions> durations)
    {
        var problems = durations.SelectMany((duration, index) => duration.Problems(index)).ToList();
        var keys = durations.Where((d, i) => !d.Problems(i).Any()).Select(d => d.ToCondition().Key).ToList();
        problems.AddRange(keys.GroupBy(key => key).Where(g => g.Count() > 1).Select(g => $"Alerts:Durations: rule {g.Key} is configured twice."));
        return problems.Count == 0 ? null : new ValidationResult(string.Join(" ", problems), [nameof(AlertOptions.Durations)]);
    }
}
