using System.ComponentModel.DataAnnotations;

namespace Telehealth.Alerts.Engine;

/// <summary>Alert engine settings, bound from configuration section "Alerts" and validated at start.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string SectionName = "Alerts";

    /// <summary>
    /// How recent a reading must be to count towards NEWS2 (default 24 h). Older readings are scored as missing:
    /// a score built from stale observations would describe the person as they were, not as they are.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Alerts:News2Window must be between 5 minutes and 7 days.")]
    public TimeSpan News2Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Duration rules applied to every patient (none by default).</summary>
    public List<DurationRuleOptions> Durations { get; set; } = [];

    /// <summary>A device battery at or below this percentage raises a battery alert (default 20 %).</summary>
    [Range(5, 90, ErrorMessage = "Alerts:BatteryLowPercent must be between 5 and 90.")]
    public int BatteryLowPercent { get; set; } = 20;

    /// <summary>How far ahead of the extrapolated empty time a draining battery is flagged (default 48 h).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "14.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Alerts:BatteryWarnAhead must be between 1 hour and 14 days.")]
    public TimeSpan BatteryWarnAhead { get; set; } = TimeSpan.FromHours(48);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DurationRuleOptions.Validate(Durations) is { } problem)
        {
            yield return problem;
        }
    }
}
