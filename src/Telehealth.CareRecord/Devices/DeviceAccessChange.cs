namespace Telehealth.CareRecord.Devices;

public enum DeviceAccessChange
{
    Registered,
    SecretRotated,
    Revoked,

    /// <summary>Given to a (new) person: attribution changes, access does not.</summary>
    Assigned,

    /// <summary>Collected: nobody has it now.</summary>
    Retrieved,
}
