using System.ComponentModel.DataAnnotations;

namespace Telehealth.Alerts.Engine;

/// <summary>Alert engine settings, bound from configuration section "Alerts" and validated at start.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>
    /// How recent a reading must be to count towards NEWS2 (default 24 h). Older readings are scored as missing:
    /// a score built from stale observations would describe the person as they were, not as they are.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Alerts:News2Window must be between 5 minutes and 7 days.")]
    public TimeSpan News2Window { get; set; } = TimeSpan.FromHours(24);
}
