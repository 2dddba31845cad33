using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Monitoring;

/// <summary>
/// A reading expected every day: "a blood pressure between 07:00 and 11:00", missing 30 minutes after 11:00.
/// Times are the person's local times (<see cref="MonitoringPlan.TimeZoneId"/>).
/// </summary>
/// <param name="DeviceId">The person's device expected to send it (named in the flag, so a caller knows what to ask about).</param>
/// <param name="DeviceType">Its type's wire name, e.g. "blood_pressure_monitor".</param>
/// <param name="Since">When this expectation was first in force: nothing is missing before it.</param>
public sealed record ScheduledReading(
    VitalKind Kind,
    string DeviceId,
    string DeviceType,
    TimeOnly Opens,
    TimeOnly DueBy,
    TimeSpan Grace,
    DateTimeOffset Since)
{
    /// <summary>Same expectation, ignoring when it started (a plan saved again keeps the original start).</summary>
    public bool SameAs(ScheduledReading other) =>
        Kind == other.Kind && DeviceId == other.DeviceId && Opens == other.Opens && DueBy == other.DueBy && Grace == other.Grace;
}
