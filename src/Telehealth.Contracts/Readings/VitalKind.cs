namespace Telehealth.Contracts.Readings;

/// <summary>The vital signs a home device can report. Wire names are the SenML record names of device API v1.</summary>
public enum VitalKind
{
    HeartRate,
    Spo2,
    SystolicBp,
    DiastolicBp,
    BodyTemperature,
    BodyWeight,
    RespiratoryRate,
    BloodGlucose,
}
