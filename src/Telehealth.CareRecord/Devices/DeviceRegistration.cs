namespace Telehealth.CareRecord.Devices;

/// <summary>The result of registering a device: the only moment its secret is visible.</summary>
public sealed record DeviceRegistration(DeviceRecord Device, string Secret);
