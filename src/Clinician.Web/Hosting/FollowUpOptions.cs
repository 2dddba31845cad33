using System.ComponentModel.DataAnnotations;
using Telehealth.CareRecord.FollowUp;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Configuration section "FollowUp": telephone follow-up timing (<see cref="CallPolicy"/>).</summary>
public sealed class FollowUpOptions
{
    public const string SectionName = "FollowUp";

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FirstCallCritical { get; set; } = CallPolicy.Default.FirstCallCritical;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FirstCallHigh { get; set; } = CallPolicy.Default.FirstCallHigh;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FirstCallMedium { get; set; } = CallPolicy.Default.FirstCallMedium;

    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FirstCallLow { get; set; } = CallPolicy.Default.FirstCallLow;

    /// <summary>Wait after no answer (or busy, or a wrong number) before the next call is due.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan RetryAfter { get; set; } = CallPolicy.Default.RetryAfter;

    /// <summary>Unreached attempts in a row that re-open the alert for escalation.</summary>
    [Range(1, 10)]
    public int MaxUnreachedAttempts { get; set; } = CallPolicy.Default.MaxUnreachedAttempts;

    public CallPolicy ToPolicy() => new(FirstCallCritical, FirstCallHigh, FirstCallMedium, FirstCallLow, RetryAfter, MaxUnreachedAttempts);
}
