using Telehealth.Contracts;

namespace Telehealth.CareRecord.Devices;

public static class DeviceTypes
{
    public static IReadOnlyList<DeviceType> All { get; } = Enum.GetValues<DeviceType>();

    public static string WireName(this DeviceType type) => WireNames.Of(type);

    public static bool TryParseWireName(string? name, out DeviceType type) => WireNames.TryParse(name, out type);
}
