namespace Telehealth.Gateway.Devices;

public enum DeviceAccessChange
{
    Registered,
    SecretRotated,
    Revoked,
}
