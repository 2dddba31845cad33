using Telehealth.CareRecord.News2;

namespace Telehealth.CareRecord.Rules;

/// <summary>
/// The NEWS2 inputs that come from care records rather than devices. Null means not known, which leaves the
/// parameter missing from the score (shown as partial) rather than assumed normal.
/// </summary>
public sealed record News2CareSettings(News2Scale Scale, bool? OnSupplementalOxygen, ConsciousnessLevel? Consciousness)
{
    /// <summary>Nothing known about the person: scale 1, air/oxygen and consciousness missing.</summary>
    public static News2CareSettings Unknown { get; } = new(News2Scale.Scale1, null, null);
}
