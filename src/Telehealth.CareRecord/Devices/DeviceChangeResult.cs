namespace Telehealth.CareRecord.Devices;

/// <summary>Outcome of a lifecycle change (assign, retrieve, revoke).</summary>
public enum DeviceChangeResult
{
    Done,
    UnknownDevice,
    /// <summary>The device is revoked: it cannot be assigned again (issue a new one).</summary>
    Revoked,
    /// <summary>Nothing to do: already assigned to that person, already retrieved or already revoked.</summary>
    NoChange,
}
