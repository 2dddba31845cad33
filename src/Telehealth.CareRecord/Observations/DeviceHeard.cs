namespace Telehealth.CareRecord.Observations;

/// <summary>
/// A device status message (heartbeat). A device may declare its heartbeat interval (the status <c>interval</c>
/// in seconds, as digital social alarms do) and its battery level.
/// </summary>
public sealed record DeviceHeard(
    DeviceRef Device,
    string PatientId,
    DateTimeOffset At,
    TimeSpan? DeclaredInterval = null,
    int? BatteryPercent = null)
    : Observation(PatientId, At)
{
    public override string DeviceId => Device.DeviceId;
}
