namespace Telehealth.Simulation.Serial;

/// <summary>Names of the scenarios on the command line, and what each shows in a given second.</summary>
public static class SerialScenarios
{
    public static IReadOnlyList<string> Names { get; } = ["normal", "desaturation", "finger-out", "probe-error", "missing-values", "low-battery"];

    public static string NameOf(SerialScenario scenario) => Names[(int)scenario];

    public static bool TryParse(string? name, out SerialScenario scenario)
    {
        var index = name is null ? -1 : Names.ToList().IndexOf(name);
        scenario = index < 0 ? default : (SerialScenario)index;
        return index >= 0;
    }

    /// <summary>The readout in second <paramref name="second"/> (0-based) of the scenario.</summary>
    public static OximeterReadout At(SerialScenario scenario, int second) => scenario switch
    {
        SerialScenario.Normal => new(97, 72, ProbeConditions.SmartPoint),
        SerialScenario.Desaturation => Desaturation(second),
        SerialScenario.FingerOut => second / 30 % 2 == 0 ? new(97, 72, ProbeConditions.SmartPoint) : new(null, null, ProbeConditions.FingerOut),
        SerialScenario.ProbeError => new(null, null, ProbeConditions.ProbeError),
        SerialScenario.MissingValues => second % 3 == 2 ? new(null, null) : new(97, 72),
        SerialScenario.LowBattery => new(97, 72, ProbeConditions.LowBattery),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
    };

    private static OximeterReadout Desaturation(int second)
    {
        if (second < 30)
        {
            return new(97, 72, ProbeConditions.SmartPoint);
        }
        var drop = Math.Min((second - 30) / 10 + 1, 11);
        return new(97 - drop, 72 + 2 * drop, ProbeConditions.None);
    }
}
