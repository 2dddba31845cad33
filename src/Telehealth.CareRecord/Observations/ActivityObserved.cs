namespace Telehealth.CareRecord.Observations;

/// <summary>
/// Movement in the home: a motion sensor, a door opened, a bed left. Telecare events do not carry ordinary
/// movement, so the adapter that knows a device's signals turns them into this observation.
/// </summary>
public sealed record ActivityObserved(DeviceRef Device, string PatientId, DateTimeOffset At)
    : Observation(PatientId, At)
{
    public override string DeviceId => Device.DeviceId;
}
