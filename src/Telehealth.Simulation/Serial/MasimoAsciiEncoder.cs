using System.Globalization;
using System.Text;

namespace Telehealth.Simulation.Serial;

/// <summary>
/// Masimo Rad-series ASCII line, e.g. <c>09/15/10 15:10:29 SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800</c> + CR LF.
/// Unavailable values are dashes. ALARM: 0x02 SpO2 low, 0x10 alarm active, 0x40 low battery. EXC: 0x01 no sensor,
/// 0x04 low perfusion, 0x08 pulse search, 0x20 sensor off patient, 0x400 low signal IQ.
/// </summary>
public static class MasimoAsciiEncoder
{
    public static byte[] Encode(OximeterReadout readout, DateTime at)
    {
        var c = readout.Conditions;
        var noValues = (c & (ProbeConditions.FingerOut | ProbeConditions.ProbeError)) != 0;
        var spo2 = noValues || readout.Spo2 is null ? "---" : readout.Spo2.Value.ToString("000", CultureInfo.InvariantCulture);
        var bpm = noValues || readout.Pulse is null ? "---" : readout.Pulse.Value.ToString("000", CultureInfo.InvariantCulture);
        var alarm = 0;
        if (!noValues && readout.Spo2 is < 90)
        {
            alarm |= 0x02 | 0x10;
        }
        if ((c & ProbeConditions.LowBattery) != 0) alarm |= 0x40;
        var exceptions = 0;
        if ((c & ProbeConditions.ProbeError) != 0) exceptions |= 0x01;
        if ((c & ProbeConditions.LowPerfusion) != 0) exceptions |= 0x04;
        if ((c & ProbeConditions.Searching) != 0) exceptions |= 0x08;
        if ((c & ProbeConditions.FingerOut) != 0) exceptions |= 0x20;
        if ((c & (ProbeConditions.LowSignalQuality | ProbeConditions.Artifact)) != 0) exceptions |= 0x400;
        var pi = noValues ? "--.--" : "05.20";
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{at:MM/dd/yy HH:mm:ss} SPO2={spo2}% BPM={bpm} PI={pi}% ALARM={alarm:X} EXC={exceptions:X}\r\n");
        return Encoding.ASCII.GetBytes(line);
    }
}
