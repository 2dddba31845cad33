namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>
/// One decoded sample as the device sent it: SpO2 in %, pulse rate in beat/min (null where the device sent its
/// missing-value code) and the status bits.
/// </summary>
public readonly record struct OximeterSample(int? Spo2, int? PulseRate, OximeterFlags Flags)
{
    /// <summary>Both values present and no status bit that makes them unreliable: only such samples form readings.</summary>
    public bool IsValid => Spo2 is not null && PulseRate is not null && (Flags & OximeterFlags.Unreliable) == 0;
}
