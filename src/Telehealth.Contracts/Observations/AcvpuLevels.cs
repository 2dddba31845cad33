namespace Telehealth.Contracts.Observations;

public static class AcvpuLevels
{
    /// <summary>The SenML record name and REST observation kind for an ACVPU assessment.</summary>
    public const string ObservationName = "consciousness";

    public static IReadOnlyList<AcvpuLevel> All { get; } = Enum.GetValues<AcvpuLevel>();

    public static string WireName(this AcvpuLevel level) => WireNames.Of(level);

    /// <summary>Exact, case-sensitive match of a wire name (as every other device vocabulary).</summary>
    public static bool TryParseWireName(string? name, out AcvpuLevel level) => WireNames.TryParse(name, out level);
}
