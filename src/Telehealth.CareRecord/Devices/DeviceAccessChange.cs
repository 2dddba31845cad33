namespace Telehealth.CareRecord.Devices;

public enum DeviceAccessChange
{
    Registered,
    SecretRotated,
    Revoked,
}
