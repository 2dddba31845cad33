namespace Telehealth.CareRecord.News2;

/// <summary>
/// Observations for one NEWS2 score. A null value is not measured (it is scored as missing, never as normal).
/// </summary>
/// <param name="RespirationRate">Breaths per minute.</param>
/// <param name="Spo2">Oxygen saturation, %.</param>
/// <param name="OnSupplementalOxygen">True on oxygen, false on air, null when not known.</param>
/// <param name="SystolicBp">mmHg.</param>
/// <param name="Pulse">Beats per minute.</param>
/// <param name="TemperatureCelsius">°C.</param>
public sealed record News2Inputs(
    double? RespirationRate,
    double? Spo2,
    bool? OnSupplementalOxygen,
    double? SystolicBp,
    double? Pulse,
    ConsciousnessLevel? Consciousness,
    double? TemperatureCelsius,
    News2Scale Scale = News2Scale.Scale1);
