using Telehealth.CareRecord.Staff;
using Telehealth.Contracts;

namespace Telehealth.Tests.Access;

/// <summary>The whole role × permission table, cell by cell: a change to who may do what shows up here first.</summary>
public sealed class PermissionMatrixTests
{
    // One row per permission; columns: clinician, telephone_support, team_lead, admin (x = allowed).
    private static readonly string[] Table =
    [
        "view_caseload            x x x x",
        "register_patients        x . x x",
        "edit_contacts            x x x x",
        "change_clinical_settings x . . .",
        "record_observations      x . . .",
        "work_alerts              x x x x",
        "manage_devices           . . . x",
        "view_staff               . . x x",
        "manage_staff             . . . x",
        "manage_teams             . . . x",
        "view_teams               x x x x",
        "read_audit               . . x x",
        "manage_rota              . . x x",
        "read_service_figures     . . x x",
        "view_operations          . . . x",
        "view_colleagues          x x x x",
    ];

    private static readonly StaffRole[] Columns = [StaffRole.Clinician, StaffRole.TelephoneSupport, StaffRole.TeamLead, StaffRole.Admin];

    public static TheoryData<string, string, bool> Cells()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var row in Table)
        {
            var parts = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var column = 0; column < Columns.Length; column++)
            {
                data.Add(StaffRoleNames.Of(Columns[column]), parts[0], parts[column + 1] == "x");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_role_is_allowed_exactly_what_the_table_says(string role, string permission, bool allowed)
    {
        Assert.True(WireNames.TryParse<StaffPermission>(permission, out var parsed), permission);
        Assert.Equal(allowed, PermissionMatrix.Allows(role, parsed));
    }

    [Fact]
    public void The_table_covers_every_permission_once()
    {
        var rows = Table.Select(r => r.Split(' ')[0]).ToList();
        Assert.Equal(Enum.GetValues<StaffPermission>().Select(p => WireNames.Of(p)).Order(), rows.Order());
    }

    [Theory]
    [InlineData("superuser")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("Clinician")] // names are exact
    public void An_unknown_role_is_allowed_nothing(string? role) =>
        Assert.All(Enum.GetValues<StaffPermission>(), p => Assert.False(PermissionMatrix.Allows(role, p)));

    [Fact]
    public void The_legacy_call_handler_is_telephone_support()
    {
        Assert.True(StaffRoleNames.TryParse("call_handler", out var role));
        Assert.Equal(StaffRole.TelephoneSupport, role);
        Assert.Equal("telephone_support", StaffRoleNames.Normalize("call_handler"));
        Assert.Equal(PermissionMatrix.PermissionsOf(StaffRole.TelephoneSupport),
            Enum.GetValues<StaffPermission>().Where(p => PermissionMatrix.Allows("call_handler", p)));
    }

    [Fact]
    public void Role_names_on_the_wire_are_the_fixed_four() =>
        Assert.Equal(["clinician", "telephone_support", "team_lead", "admin"], StaffRoleNames.All);
}
