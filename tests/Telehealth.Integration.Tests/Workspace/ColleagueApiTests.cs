using System.Net;
using Telehealth.CareRecord.Staff;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>
/// <c>GET /api/staff/colleagues</c>: any role that works alerts lists the active members of its own team (username and
/// role, nothing else), never another team's and never a disabled account; the full staff list stays refused.
/// </summary>
public sealed class ColleagueApiTests
{
    [Fact]
    public async Task Each_role_lists_its_own_team_s_active_colleagues_with_username_and_role_only()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        using var nurse = await platform.CreateStaffClientAsync("nurse-a", StaffRoles.Clinician);
        using var caller = await platform.CreateStaffClientAsync("caller-b", StaffRoles.TelephoneSupport);
        using var lead = await platform.CreateStaffClientAsync("lead-c", StaffRoles.TeamLead);
        using var gone = await platform.CreateStaffClientAsync("gone-d", StaffRoles.Clinician);
        using var other = await platform.CreateStaffClientAsync("other-e", StaffRoles.Clinician, "team-elsewhere");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/staff/gone-d/disable", null)).StatusCode);
        string[] ownTeam = ["admin:admin", "caller-b:telephone_support", "lead-c:team_lead", "nurse-a:clinician"];

        foreach (var client in new[] { nurse, caller, lead, admin })
        {
            var colleagues = await client.GetJsonAsync("/api/staff/colleagues");

            Assert.Equal(ownTeam, colleagues.EnumerateArray().Select(c => $"{c.Str("username")}:{c.Str("role")}"));
            Assert.All(colleagues.EnumerateArray(), c => Assert.Equal(["username", "role"], c.EnumerateObject().Select(p => p.Name)));
        }
        var elsewhere = await other.GetJsonAsync("/api/staff/colleagues");
        Assert.Equal(["other-e"], elsewhere.EnumerateArray().Select(c => c.Str("username")));
        Assert.Equal(HttpStatusCode.Forbidden, (await caller.GetAsync("/api/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gone.GetAsync("/api/staff/colleagues")).StatusCode);
    }
}
