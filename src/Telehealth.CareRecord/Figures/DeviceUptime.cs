namespace Telehealth.CareRecord.Figures;

/// <summary>
/// A device expected to check in (a declared or staff-set heartbeat) and how much of the watched time it was
/// flagged silent. A device with no heartbeat is never judged, so it is not listed.
/// </summary>
public sealed record DeviceUptime(string DeviceId, string DeviceType, string PatientId, TimeSpan Watched, TimeSpan FlaggedSilent)
{
    public double? Share => Watched <= TimeSpan.Zero ? null : 1 - FlaggedSilent / Watched;
}
