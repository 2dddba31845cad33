using System.Security.Claims;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>The caller's role and what it allows, read from the token's claims.</summary>
public static class StaffPermissions
{
    public static string? RoleName(this ClaimsPrincipal user) => StaffRoleNames.Normalize(user.FindFirstValue(StaffClaims.Role));

    public static bool Can(this ClaimsPrincipal user, StaffPermission permission) =>
        PermissionMatrix.Allows(user.FindFirstValue(StaffClaims.Role), permission);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.RoleName() == StaffRoles.Admin;

    /// <summary>403 ProblemDetails naming the role and what it may not do (code <c>forbidden_for_role</c>).</summary>
    public static IResult Refuse(this ClaimsPrincipal user, StaffPermission permission, string? detail = null) =>
        Results.Problem(statusCode: StatusCodes.Status403Forbidden,
            title: $"Your role ({user.RoleName() ?? "unknown"}) may not {WhatItAllows(permission)}",
            detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = ForbiddenForRole,
                ["role"] = user.RoleName(),
                ["permission"] = Telehealth.Contracts.WireNames.Of(permission),
            });

    public const string ForbiddenForRole = "forbidden_for_role";

    public static string WhatItAllows(StaffPermission permission) => permission switch
    {
        StaffPermission.ViewCaseload => "view the caseload",
        StaffPermission.RegisterPatients => "add or edit people",
        StaffPermission.EditContacts => "edit a person's contacts",
        StaffPermission.ChangeClinicalSettings => "change thresholds, care settings or rules (clinicians only)",
        StaffPermission.RecordObservations => "record clinical observations (clinicians only)",
        StaffPermission.WorkAlerts => "work alerts or record calls",
        StaffPermission.ManageDevices => "manage devices (admins only)",
        StaffPermission.ViewStaff => "list staff",
        StaffPermission.ManageStaff => "manage staff (admins only)",
        StaffPermission.ManageTeams => "manage teams (admins only)",
        StaffPermission.ViewTeams => "list teams",
        StaffPermission.ReadAudit => "read the audit log (team leads and admins)",
        StaffPermission.ManageRota => "manage the duty rota (team leads and admins)",
        StaffPermission.ReadServiceFigures => "read service figures (team leads and admins)",
        StaffPermission.ViewOperations => "view security and integration records (admins only)",
        StaffPermission.ViewColleagues => "list their team's colleagues",
        _ => permission.ToString(),
    };
}
