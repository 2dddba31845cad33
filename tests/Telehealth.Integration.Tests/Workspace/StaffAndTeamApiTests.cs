using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Staff;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>The fixed routes outside scripts use to set up a service: POST /api/teams, POST /api/staff, and a person's team.</summary>
public sealed class StaffAndTeamApiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;

    private HttpClient Admin => fixture.Staff;

    private static JsonElement Body(HttpResponseMessage response) =>
        JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.Clone();

    private async Task<string> NewTeamAsync(string name)
    {
        var response = await Admin.PostAsJsonAsync("/api/teams", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Body(response).Str("id");
    }

    private async Task<HttpClient> SignedInAsync(string username, string password)
    {
        var client = Platform.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Platform.GetTokenAsync(username, password));
        return client;
    }

    [Fact]
    public async Task An_admin_creates_a_team_and_a_clinician_in_it_who_signs_in_and_whose_people_belong_to_that_team()
    {
        var teamId = await NewTeamAsync("North Reablement");
        var created = await Admin.PostAsJsonAsync("/api/staff", new { username = "north.nurse", password = "a long password 1", role = "clinician", teamId });
        using var nurse = await SignedInAsync("north.nurse", "a long password 1");
        var patientId = await TelehealthPlatform.CreatePatientAsync(nurse, "North Person");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("north.nurse", "clinician", teamId, false), (Body(created).Str("username"), Body(created).Str("role"), Body(created).Str("teamId"), Body(created).GetProperty("disabled").GetBoolean()));
        Assert.StartsWith("team-", teamId);
        Assert.Equal(teamId, (await nurse.GetJsonAsync($"/api/patients/{patientId}")).Str("teamId"));
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/api/patients/{patientId}")).StatusCode); // the admin's own team is another
        var teams = (await nurse.GetJsonAsync("/api/teams")).EnumerateArray().Select(t => (t.Str("id"), t.Str("name"))).ToList();
        Assert.Contains((teamId, "North Reablement"), teams);
        Assert.Contains((TelehealthPlatform.DefaultTeamId, TelehealthPlatform.DefaultTeamId), teams); // known from its staff
    }

    [Fact]
    public async Task A_second_team_of_the_same_name_is_a_409_and_a_nameless_one_a_400()
    {
        await NewTeamAsync("Duplicate Name Team");

        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/api/teams", new { name = "duplicate name team" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync("/api/teams", new { name = "  " })).StatusCode);
    }

    public static TheoryData<string, string, string, string, string, string> BadStaff() => new()
    {
        { "new.one", "a long password 1", "superuser", "team-community-rehab", "role", "Unknown role 'superuser'. Known: clinician, telephone_support, team_lead, admin." },
        { "new.one", "a long password 1", "call_handler", "team-community-rehab", "role", "Unknown role 'call_handler'. Known: clinician, telephone_support, team_lead, admin." },
        { "new.one", "a long password 1", "clinician", "team-nowhere", "teamId", "Unknown team 'team-nowhere'." },
        { "new.one", "short", "clinician", "team-community-rehab", "password", "password must be at least 12 characters." },
        { "New One", "a long password 1", "clinician", "team-community-rehab", "username", "username may contain only lower-case letters, digits, '.', '-' and '_'." },
    };

    [Theory]
    [MemberData(nameof(BadStaff))]
    public async Task A_bad_staff_request_is_a_400_naming_the_field_and_value(string username, string password, string role, string teamId, string field, string message)
    {
        var response = await Admin.PostAsJsonAsync("/api/staff", new { username, password, role, teamId });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = Body(response).GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal([message], errors.GetProperty(field).EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain((await Admin.GetJsonAsync("/api/staff")).EnumerateArray(), s => s.Str("username") == username);
    }

    [Fact]
    public async Task A_duplicate_username_is_a_409_and_the_first_account_keeps_its_password()
    {
        var first = await Admin.PostAsJsonAsync("/api/staff", new { username = "twice.made", password = "first password 1", role = "clinician", teamId = TelehealthPlatform.DefaultTeamId });
        var second = await Admin.PostAsJsonAsync("/api/staff", new { username = "twice.made", password = "second password 2", role = "admin", teamId = TelehealthPlatform.DefaultTeamId });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("duplicate_username", Body(second).Str("code"));
        using var signedIn = await SignedInAsync("twice.made", "first password 1");
        Assert.Equal("clinician", (await Admin.GetJsonAsync("/api/staff")).EnumerateArray().Single(s => s.Str("username") == "twice.made").Str("role"));
    }

    [Fact]
    public async Task A_team_lead_lists_only_their_own_team_and_an_admin_lists_everyone()
    {
        var east = await NewTeamAsync("East Listing Team");
        var west = await NewTeamAsync("West Listing Team");
        foreach (var (username, role, team) in new[] { ("east.lead", "team_lead", east), ("east.phone", "telephone_support", east), ("west.nurse", "clinician", west) })
        {
            Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/staff", new { username, password = "a long password 1", role, teamId = team })).StatusCode);
        }
        using var lead = await SignedInAsync("east.lead", "a long password 1");

        var leadView = (await lead.GetJsonAsync("/api/staff")).EnumerateArray().Select(s => (s.Str("username"), s.Str("role"))).ToList();
        var adminView = (await Admin.GetJsonAsync("/api/staff")).EnumerateArray().Select(s => s.Str("username")).ToList();
        var adminWest = (await Admin.GetJsonAsync($"/api/staff?teamId={west}")).EnumerateArray().Select(s => s.Str("username")).ToList();

        Assert.Equal([("east.lead", "team_lead"), ("east.phone", "telephone_support")], leadView);
        Assert.Contains("west.nurse", adminView);
        Assert.Contains("admin", adminView);
        Assert.Equal(["west.nurse"], adminWest);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_and_its_live_token_stops_at_once()
    {
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/api/staff", new { username = "leaving.nurse", password = "a long password 1", role = "clinician", teamId = TelehealthPlatform.DefaultTeamId })).StatusCode);
        using var nurse = await SignedInAsync("leaving.nurse", "a long password 1");
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync("/api/patients")).StatusCode);

        var disabled = await Admin.PostAsync("/api/staff/leaving.nurse/disable", null);
        var afterwards = await nurse.GetAsync("/api/patients");
        using var anonymous = Platform.CreateAnonymousClient();
        var signIn = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "leaving.nurse", password = "a long password 1" });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True(Body(disabled).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        Assert.Equal(StaffAccounts.AccountDisabled, Body(afterwards).Str("code"));
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsync($"/api/staff/{TelehealthPlatform.AdminUsername}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PostAsync("/api/staff/nobody.here/disable", null)).StatusCode);
    }

    [Fact]
    public async Task A_person_goes_to_the_chosen_team_for_an_admin_and_only_to_their_own_for_others()
    {
        var other = await NewTeamAsync("Chosen Team");
        var otherNurse = await Platform.CreateStaffClientAsync("chosen.nurse", StaffRoles.Clinician, other);

        var byAdmin = await Admin.PostAsJsonAsync("/api/patients", new { displayName = "Placed Person", teamId = other });
        var byClinician = await fixture.Clinician.PostAsJsonAsync("/api/patients", new { displayName = "Misplaced Person", teamId = other });
        var ownTeamNamed = await fixture.Clinician.PostAsJsonAsync("/api/patients", new { displayName = "Own Team Person", teamId = TelehealthPlatform.DefaultTeamId });
        var unknownTeam = await Admin.PostAsJsonAsync("/api/patients", new { displayName = "Lost Person", teamId = "team-nowhere" });

        Assert.Equal(HttpStatusCode.Created, byAdmin.StatusCode);
        Assert.Equal(other, (await otherNurse.GetJsonAsync($"/api/patients/{Body(byAdmin).Str("id")}")).Str("teamId"));
        Assert.Equal(HttpStatusCode.Forbidden, byClinician.StatusCode);
        Assert.Equal("forbidden_for_role", Body(byClinician).Str("code"));
        Assert.Equal(HttpStatusCode.Created, ownTeamNamed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownTeam.StatusCode);
        Assert.Equal(["Unknown team 'team-nowhere'."], Body(unknownTeam).GetProperty("errors").GetProperty("teamId").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain((await otherNurse.GetJsonAsync("/api/patients")).EnumerateArray(), p => p.Str("displayName") == "Misplaced Person");
    }
}
