namespace Telehealth.Simulation.Model;

/// <summary>
/// The script of one home. Times are scenario time since the simulation started (real time multiplied by the
/// acceleration), so a demo can show a few minutes of deterioration in under a minute.
/// </summary>
/// <param name="Baseline">The person's usual values.</param>
/// <param name="HasHypercapnicRespiratoryFailure">
/// COPD with CO2 retention: a clinician sets NEWS2 SpO2 scale 2 with a target of 88–92%, so the baseline is lower.
/// </param>
/// <param name="Onset">When the deterioration starts, or when the first scripted event happens.</param>
/// <param name="Ramp">How long a deterioration takes to reach its worst; it then stays there.</param>
public sealed record HomeScenario(
    ScenarioKind Kind,
    PersonalBaseline Baseline,
    bool HasHypercapnicRespiratoryFailure,
    TimeSpan Onset,
    TimeSpan Ramp);
