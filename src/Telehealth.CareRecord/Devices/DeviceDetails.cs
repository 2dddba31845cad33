namespace Telehealth.CareRecord.Devices;

/// <summary>What the equipment is: set by staff when issued, firmware also reported by the device's status messages.</summary>
public sealed record DeviceDetails(string? Model, string? SerialNumber, string? Firmware)
{
    public static DeviceDetails None { get; } = new(null, null, null);

    /// <summary>Most characters kept of each field (free text from staff or a device).</summary>
    public const int MaxLength = 64;
}
