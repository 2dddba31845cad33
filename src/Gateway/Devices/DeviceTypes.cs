using System.Text;

namespace Telehealth.Gateway.Devices;

public static class DeviceTypes
{
    public static IReadOnlyList<DeviceType> All { get; } = Enum.GetValues<DeviceType>();

    public static string WireName(this DeviceType type)
    {
        var name = type.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    public static bool TryParseWireName(string? name, out DeviceType type)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.WireName(), name, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
