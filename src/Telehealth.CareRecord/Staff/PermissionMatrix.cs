using System.Collections.Frozen;

namespace Telehealth.CareRecord.Staff;

/// <summary>
/// Who may do what: the one place roles meet permissions (README, "Roles and permissions", prints this table).
/// Clinical settings belong to clinicians alone, because a threshold or scale set wrong silences or floods a person's
/// alerts; admins run the platform (staff, teams, devices) and, in small services that run a shift with whoever is on,
/// may work alerts; team leads answer for their team (audit, staff list, rota).
/// </summary>
public static class PermissionMatrix
{
    private static readonly FrozenDictionary<StaffRole, FrozenSet<StaffPermission>> Grants = new Dictionary<StaffRole, FrozenSet<StaffPermission>>
    {
        [StaffRole.Clinician] = FrozenSet.ToFrozenSet(
        [
            StaffPermission.ViewCaseload, StaffPermission.RegisterPatients, StaffPermission.EditContacts,
            StaffPermission.ChangeClinicalSettings, StaffPermission.RecordObservations, StaffPermission.WorkAlerts,
            StaffPermission.ViewTeams, StaffPermission.ViewColleagues,
        ]),
        [StaffRole.TelephoneSupport] = FrozenSet.ToFrozenSet(
        [
            StaffPermission.ViewCaseload, StaffPermission.EditContacts, StaffPermission.WorkAlerts, StaffPermission.ViewTeams,
            StaffPermission.ViewColleagues,
        ]),
        [StaffRole.TeamLead] = FrozenSet.ToFrozenSet(
        [
            StaffPermission.ViewCaseload, StaffPermission.RegisterPatients, StaffPermission.EditContacts, StaffPermission.WorkAlerts,
            StaffPermission.ViewStaff, StaffPermission.ViewTeams, StaffPermission.ReadAudit, StaffPermission.ManageRota,
            StaffPermission.ReadServiceFigures, StaffPermission.ViewColleagues,
        ]),
        [StaffRole.Admin] = FrozenSet.ToFrozenSet(
        [
            StaffPermission.ViewCaseload, StaffPermission.RegisterPatients, StaffPermission.EditContacts, StaffPermission.WorkAlerts,
            StaffPermission.ManageDevices, StaffPermission.ViewStaff, StaffPermission.ManageStaff, StaffPermission.ManageTeams,
            StaffPermission.ViewTeams, StaffPermission.ReadAudit, StaffPermission.ManageRota, StaffPermission.ReadServiceFigures,
            StaffPermission.ViewOperations, StaffPermission.ViewColleagues,
        ]),
    }.ToFrozenDictionary();

    public static bool Allows(StaffRole role, StaffPermission permission) =>
        Grants.TryGetValue(role, out var granted) && granted.Contains(permission);

    /// <summary>False for an unknown role name: a role nobody defined is allowed nothing.</summary>
    public static bool Allows(string? roleName, StaffPermission permission) =>
        StaffRoleNames.TryParse(roleName, out var role) && Allows(role, permission);

    public static IReadOnlyList<StaffPermission> PermissionsOf(StaffRole role) =>
        Grants.TryGetValue(role, out var granted) ? [.. granted.Order()] : [];
}
