using Telehealth.Contracts.Readings;

namespace Telehealth.Simulation.Scenarios;

/// <summary>One value a device publishes in a measurement, in the canonical unit of its kind.</summary>
public sealed record SimulatedReading(VitalKind Kind, double Value)
{
    public string Unit => Kind.CanonicalUnit();
}
