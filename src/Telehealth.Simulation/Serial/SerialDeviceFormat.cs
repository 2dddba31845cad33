namespace Telehealth.Simulation.Serial;

/// <summary>The serial oximeters device-sim can emulate, byte for byte.</summary>
public enum SerialDeviceFormat
{
    Nonin8,
    Cms50Legacy,
    Cms50V46,
    Masimo,
}
