namespace Telehealth.Contracts.Events;

public static class TelecareEventTypes
{
    public static IReadOnlyList<TelecareEventType> All { get; } = Enum.GetValues<TelecareEventType>();

    public static string WireName(this TelecareEventType type) => WireNames.Of(type);

    public static bool TryParseWireName(string? name, out TelecareEventType type) => WireNames.TryParse(name, out type);
}
