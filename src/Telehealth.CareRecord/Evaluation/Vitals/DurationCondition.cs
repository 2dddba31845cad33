using System.Globalization;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// "SpO2 below 92 % for 10 minutes": a vital beyond a limit for at least <see cref="Duration"/>. Between readings
/// the last value is taken to persist for at most <see cref="MaxGap"/>; a longer gap in data breaks the hold,
/// because silence is not evidence that the value stayed low (silence has its own rule).
/// </summary>
/// <param name="Below">True for "below the limit", false for "above".</param>
/// <param name="ClearMargin">Once raised, a value must be this far on the good side of the limit to clear.</param>
public sealed record DurationCondition(
    VitalKind Kind,
    bool Below,
    double Limit,
    TimeSpan Duration,
    TimeSpan MaxGap,
    AlertSeverity Severity,
    double ClearMargin = 0)
{
    /// <summary>Stable condition key, e.g. <c>duration:spo2:below:92:10m</c>.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"duration:{Kind.WireName()}:{(Below ? "below" : "above")}:{Limit:0.##}:{Duration.TotalMinutes:0}m");

    public bool IsMetBy(double value) => Below ? value < Limit : value > Limit;

    public bool IsClearedBy(double value) => Below ? value >= Limit + ClearMargin : value <= Limit - ClearMargin;
}
