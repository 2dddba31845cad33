namespace Telehealth.Contracts.Observations;

/// <summary>
/// ACVPU on the wire (REST body, SenML <c>vs</c>): alert, new_confusion, voice, pain, unresponsive
/// (<see cref="WireNames"/>). The same five levels as the care record's NEWS2 <c>ConsciousnessLevel</c>, in the same order.
/// </summary>
public enum AcvpuLevel
{
    Alert,
    NewConfusion,
    Voice,
    Pain,
    Unresponsive,
}
