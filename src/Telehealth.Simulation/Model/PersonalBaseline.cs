namespace Telehealth.Simulation.Model;

/// <summary>A person's usual values in canonical units, around which their readings vary.</summary>
public sealed record PersonalBaseline(
    double HeartRate,
    double Spo2,
    double SystolicBp,
    double DiastolicBp,
    double BodyTemperature,
    double BodyWeight,
    double RespiratoryRate,
    double BloodGlucose);
