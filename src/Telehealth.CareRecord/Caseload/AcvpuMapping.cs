using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Observations;

namespace Telehealth.CareRecord.Caseload;

/// <summary>The wire's ACVPU level → the NEWS2 consciousness level (same five levels, named alike).</summary>
public static class AcvpuMapping
{
    public static ConsciousnessLevel ToNews2(this AcvpuLevel level) => level switch
    {
        AcvpuLevel.Alert => ConsciousnessLevel.Alert,
        AcvpuLevel.NewConfusion => ConsciousnessLevel.NewConfusion,
        AcvpuLevel.Voice => ConsciousnessLevel.Voice,
        AcvpuLevel.Pain => ConsciousnessLevel.Pain,
        AcvpuLevel.Unresponsive => ConsciousnessLevel.Unresponsive,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };
}
