namespace Telehealth.CareRecord.Monitoring;

/// <summary>
/// How often staff expect to hear from a device, overriding the interval the device declares (a hub that declares
/// none, or a person for whom an hour of pendant silence matters more). Silence is raised after three intervals.
/// </summary>
/// <param name="Since">When this expectation was first in force: a device never heard is silent from then.</param>
public sealed record HeartbeatExpectation(string DeviceId, string DeviceType, TimeSpan Interval, DateTimeOffset Since)
{
    public bool SameAs(HeartbeatExpectation other) => DeviceId == other.DeviceId && Interval == other.Interval;
}
