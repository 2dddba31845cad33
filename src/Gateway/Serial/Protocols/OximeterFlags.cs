namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// The status bits of a pulse oximeter's per-second sample, in one vocabulary for every wire format. Each format
/// sets only the bits it can express (docs/device-api.md, "Serial bridge", lists the mapping).
/// </summary>
[Flags]
public enum OximeterFlags
{
    None = 0,

    /// <summary>Finger out of the probe (CMS50 0x10 in byte 0; Masimo EXC 0x20 sensor off patient).</summary>
    FingerOut = 1 << 0,

    /// <summary>Probe disconnected or faulty (CMS50 0x10 in byte 2; Masimo EXC 0x01 no sensor).</summary>
    ProbeError = 1 << 1,

    /// <summary>Low perfusion, red (Nonin 0x10; Masimo EXC 0x04).</summary>
    LowPerfusion = 1 << 2,

    /// <summary>Marginal perfusion, yellow (Nonin 0x08). Values are still usable.</summary>
    MarginalPerfusion = 1 << 3,

    /// <summary>Motion or other artifact in this sample (Nonin 0x04).</summary>
    Artifact = 1 << 4,

    /// <summary>The oximeter lost track of the pulse (Nonin 0x20).</summary>
    OutOfTrack = 1 << 5,

    /// <summary>Sensor alarm (Nonin status2 0x08).</summary>
    SensorAlarm = 1 << 6,

    /// <summary>The monitor's battery is low (Nonin status2 0x01; Masimo ALARM 0x40).</summary>
    LowBattery = 1 << 7,

    /// <summary>Searching for a pulse (CMS50 0x20 in byte 2; Masimo EXC 0x08 pulse search).</summary>
    Searching = 1 << 8,

    /// <summary>Low signal quality (Masimo EXC 0x400).</summary>
    LowSignalQuality = 1 << 9,

    /// <summary>Nonin SmartPoint: the device rates this a high-quality reading (status2 0x20). Informational.</summary>
    SmartPoint = 1 << 10,

    /// <summary>The device marked its values invalid or sent no data (CMS50 v4.6 status E1 / E2).</summary>
    NoData = 1 << 11,

    /// <summary>Any bit that makes a sample unfit for a reading: the values may be wrong even when present.</summary>
    Unreliable = FingerOut | ProbeError | LowPerfusion | Artifact | OutOfTrack | SensorAlarm | Searching | LowSignalQuality | NoData,
}
