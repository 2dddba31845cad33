namespace Telehealth.Simulation.Serial;

/// <summary>Scripted seconds of an oximeter on a finger, deterministic so tests can name the exact readings to expect.</summary>
public enum SerialScenario
{
    /// <summary>SpO2 97 %, pulse 72 beat/min, every second, clean.</summary>
    Normal,

    /// <summary>97 % / 72 for 30 s, then SpO2 falls one point every 10 s to 86 % while the pulse rises to 94, then holds.</summary>
    Desaturation,

    /// <summary>30 s on the finger (97 / 72), 30 s off, repeating.</summary>
    FingerOut,

    /// <summary>The probe is faulty throughout: no values.</summary>
    ProbeError,

    /// <summary>97 / 72, but every third second the device has no value (its missing-value codes).</summary>
    MissingValues,

    /// <summary>97 / 72 with the device's low-battery flag set throughout.</summary>
    LowBattery,
}
