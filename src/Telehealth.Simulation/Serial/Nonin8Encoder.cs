namespace Telehealth.Simulation.Serial;

/// <summary>
/// Nonin Data Format 8, 4 bytes: status1 (bit 7 sync, 0x20 out of track, 0x10 low perfusion, 0x08 marginal,
/// 0x04 artifact, bits 1–0 HR bits 8–7), HR bits 6–0, SpO2, status2 (0x20 SmartPoint, 0x08 sensor alarm, 0x01 low
/// battery). Missing: HR 511, SpO2 127. A Nonin has no finger-out bit: a finger out shows as out of track with
/// missing values; a probe error as a sensor alarm with missing values; searching as out of track.
/// </summary>
public static class Nonin8Encoder
{
    public static byte[] Encode(OximeterReadout readout)
    {
        var c = readout.Conditions;
        var noValues = (c & (ProbeConditions.FingerOut | ProbeConditions.ProbeError)) != 0;
        var heartRate = noValues || readout.Pulse is null ? 511 : Math.Clamp(readout.Pulse.Value, 0, 510);
        var spo2 = noValues || readout.Spo2 is null ? 127 : Math.Clamp(readout.Spo2.Value, 0, 100);
        var status1 = 0x80 | ((heartRate >> 7) & 0x03);
        if ((c & (ProbeConditions.OutOfTrack | ProbeConditions.FingerOut | ProbeConditions.Searching)) != 0) status1 |= 0x20;
        if ((c & ProbeConditions.LowPerfusion) != 0) status1 |= 0x10;
        if ((c & ProbeConditions.MarginalPerfusion) != 0) status1 |= 0x08;
        if ((c & (ProbeConditions.Artifact | ProbeConditions.LowSignalQuality)) != 0) status1 |= 0x04;
        var status2 = 0;
        if ((c & ProbeConditions.SmartPoint) != 0) status2 |= 0x20;
        if ((c & (ProbeConditions.SensorAlarm | ProbeConditions.ProbeError)) != 0) status2 |= 0x08;
        if ((c & ProbeConditions.LowBattery) != 0) status2 |= 0x01;
        return [(byte)status1, (byte)(heartRate & 0x7F), (byte)spo2, (byte)status2];
    }
}
