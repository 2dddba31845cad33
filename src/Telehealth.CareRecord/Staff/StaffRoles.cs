namespace Telehealth.CareRecord.Staff;

/// <summary>Role names as they appear in tokens and on the wire (<see cref="StaffRoleNames"/> holds the rule).</summary>
public static class StaffRoles
{
    public const string Admin = "admin";
    public const string Clinician = "clinician";
    public const string TelephoneSupport = "telephone_support";
    public const string TeamLead = "team_lead";

    /// <summary>Current names, and call_handler (a token issued before it became telephone_support).</summary>
    public static bool IsKnown(string role) => StaffRoleNames.TryParse(role, out _);
}
