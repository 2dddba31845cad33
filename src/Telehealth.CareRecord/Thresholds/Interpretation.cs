namespace Telehealth.CareRecord.Thresholds;

/// <summary>Where a value sits against a threshold. Maps to FHIR v3-ObservationInterpretation N, L, H, LL, HH.</summary>
public enum Interpretation
{
    Normal,
    Low,
    High,
    CriticalLow,
    CriticalHigh,
}
