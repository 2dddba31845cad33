using Telehealth.Contracts;

namespace Telehealth.CareRecord.Staff;

/// <summary>Role wire names (clinician, telephone_support, team_lead, admin), and the one legacy name still read.</summary>
public static class StaffRoleNames
{
    /// <summary>The name telephone-support staff were stored under before roles were settled; read as <see cref="StaffRole.TelephoneSupport"/>.</summary>
    public const string LegacyCallHandler = "call_handler";

    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<StaffRole>().Select(Of)];

    public static string Of(StaffRole role) => WireNames.Of(role);

    public static bool TryParse(string? name, out StaffRole role)
    {
        if (name == LegacyCallHandler)
        {
            role = StaffRole.TelephoneSupport;
            return true;
        }
        return WireNames.TryParse(name, out role);
    }

    /// <summary>The current wire name for a stored or presented one (call_handler becomes telephone_support); null when unknown.</summary>
    public static string? Normalize(string? name) => TryParse(name, out var role) ? Of(role) : null;
}
