namespace Telehealth.Simulation.Serial;

/// <summary>
/// Contec CMS50D+ legacy live packet, 5 bytes, bit 7 only on byte 0: signal strength | 0x10 finger out | 0x20 SpO2
/// dropping | 0x40 beep; pleth; bar graph | 0x10 probe error | 0x20 searching | 0x40 pulse bit 7; pulse bits 6–0;
/// SpO2. With the finger out or the probe faulty the device sends 0 for both values; missing values are SpO2 127
/// and pulse 255.
/// </summary>
public static class Cms50LegacyEncoder
{
    /// <param name="pleth">The waveform sample (0–127) of this packet.</param>
    public static byte[] Encode(OximeterReadout readout, int pleth = 64)
    {
        var c = readout.Conditions;
        var zeroed = (c & (ProbeConditions.FingerOut | ProbeConditions.ProbeError)) != 0;
        var pulse = zeroed ? 0 : readout.Pulse is { } p ? Math.Clamp(p, 0, 254) : 255;
        var spo2 = zeroed ? 0 : readout.Spo2 is { } s ? Math.Clamp(s, 0, 100) : 127;
        var byte0 = 0x80 | (zeroed ? 0 : 0x08);
        if ((c & ProbeConditions.FingerOut) != 0) byte0 |= 0x10;
        if (spo2 is > 0 and < 90) byte0 |= 0x20;
        var byte2 = (zeroed ? 0 : 0x05) | ((pulse & 0x80) >> 1);
        if ((c & ProbeConditions.ProbeError) != 0) byte2 |= 0x10;
        if ((c & ProbeConditions.Searching) != 0) byte2 |= 0x20;
        return [(byte)byte0, (byte)(pleth & 0x7F), (byte)byte2, (byte)(pulse & 0x7F), (byte)(spo2 & 0x7F)];
    }
}
