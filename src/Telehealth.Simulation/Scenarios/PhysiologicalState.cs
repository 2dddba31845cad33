using Telehealth.Contracts.Readings;

namespace Telehealth.Simulation.Scenarios;

/// <summary>The person's true values at one moment, before any device measurement noise.</summary>
public sealed record PhysiologicalState(
    double HeartRate,
    double Spo2,
    double SystolicBp,
    double DiastolicBp,
    double BodyTemperature,
    double BodyWeight,
    double RespiratoryRate,
    double BloodGlucose)
{
    public double ValueOf(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => HeartRate,
        VitalKind.Spo2 => Spo2,
        VitalKind.SystolicBp => SystolicBp,
        VitalKind.DiastolicBp => DiastolicBp,
        VitalKind.BodyTemperature => BodyTemperature,
        VitalKind.BodyWeight => BodyWeight,
        VitalKind.RespiratoryRate => RespiratoryRate,
        VitalKind.BloodGlucose => BloodGlucose,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
