namespace Telehealth.Simulation.Serial;

/// <summary>
/// Contec CMS50D+ firmware 4.6 live frame, 9 bytes: 01, status (E0 valid, E1 pulse/SpO2 invalid, E2 no data), two
/// waveform bytes, a byte of high bits, pulse | 0x80, SpO2 | 0x80, FF FF. Data bytes carry bit 7 set, as the
/// device's commands do; the reader masks it off. Finger out or probe error: E2; artifact, searching, low signal or
/// a missing value: E1.
/// </summary>
public static class Cms50V46Encoder
{
    /// <summary>The start-live-data command the device waits for: 7D 81 A1 80 80 80 80 80 80.</summary>
    public static ReadOnlySpan<byte> StartLiveData => [0x7D, 0x81, 0xA1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80];

    public static byte[] Encode(OximeterReadout readout, int pleth = 64)
    {
        var c = readout.Conditions;
        byte status = 0xE0;
        if ((c & (ProbeConditions.FingerOut | ProbeConditions.ProbeError)) != 0)
        {
            status = 0xE2;
        }
        else if ((c & (ProbeConditions.Artifact | ProbeConditions.Searching | ProbeConditions.LowSignalQuality | ProbeConditions.OutOfTrack)) != 0
            || readout.Spo2 is null || readout.Pulse is null)
        {
            status = 0xE1;
        }
        var pulse = status == 0xE0 ? Math.Clamp(readout.Pulse!.Value, 0, 126) : 0;
        var spo2 = status == 0xE0 ? Math.Clamp(readout.Spo2!.Value, 0, 100) : 0;
        return [0x01, status, (byte)(0x80 | (pleth & 0x7F)), 0x80, 0x80, (byte)(0x80 | pulse), (byte)(0x80 | spo2), 0xFF, 0xFF];
    }
}
