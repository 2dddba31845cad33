namespace Telehealth.CareRecord.Monitoring;

/// <summary>
/// Movement expected every day within a window ("up and about between 07:00 and 10:00"), seen by
/// <see cref="DeviceId"/> (an inactivity, door or bed sensor, or any device the person uses). Local times.
/// </summary>
/// <param name="Since">When this expectation was first in force.</param>
public sealed record ActivityWindow(string DeviceId, string DeviceType, TimeOnly Opens, TimeOnly Closes, DateTimeOffset Since)
{
    public bool SameAs(ActivityWindow other) => DeviceId == other.DeviceId && Opens == other.Opens && Closes == other.Closes;
}
