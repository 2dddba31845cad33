namespace Telehealth.Simulation.Model;

/// <summary>What happens in a simulated home over time.</summary>
public enum ScenarioKind
{
    /// <summary>Readings vary around the personal baseline; no events.</summary>
    Stable,

    /// <summary>COPD exacerbation or chest infection: SpO2 drifts down while pulse and respiratory rate rise.</summary>
    DeterioratingSpo2,

    /// <summary>Infection: temperature climbs to a fever, pulse and respiratory rate follow.</summary>
    RisingTemperature,

    /// <summary>Falling blood pressure (dehydration, over-treatment, sepsis) with a compensating pulse.</summary>
    Hypotension,

    /// <summary>A fall detector reports a fall, then no movement afterwards.</summary>
    FallThenInactivity,

    /// <summary>The person presses their pendant.</summary>
    PendantPress,

    /// <summary>Capillary glucose falls towards hypoglycaemia.</summary>
    Hypoglycaemia,
}
