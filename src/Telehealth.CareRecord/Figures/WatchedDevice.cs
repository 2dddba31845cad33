namespace Telehealth.CareRecord.Figures;

/// <summary>A device whose silence is watched (it declared a heartbeat interval, or staff set one).</summary>
public sealed record WatchedDevice(string DeviceId, string DeviceType, string PatientId);
