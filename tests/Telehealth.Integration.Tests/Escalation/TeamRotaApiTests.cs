using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Clinician.Web.Auth;
using Telehealth.TestSupport;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Integration.Tests.Escalation;

/// <summary>GET/PUT /api/teams/{teamId}/rota on the running platform: round trip, validation reasons, team scope, who may change it.</summary>
[Trait("Hazard", "H19")]
public sealed class TeamRotaApiTests : IAsyncLifetime
{
    private const string Team = "team-community-rehab";
    private const string Path = $"/api/teams/{Team}/rota";
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private TelehealthPlatform _platform = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:Targets:sms-gateway:Url"] = "https://sms.example.test/hooks/telehealth",
            ["Notifications:Webhooks:Targets:sms-gateway:Secret"] = "sms-secret-0123456789-0123456789-0123",
        });
        _admin = await _platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _platform.DisposeAsync();
    }

    [Fact]
    public async Task A_rota_is_stored_and_read_back_as_sent()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync(Path)).StatusCode);

        var put = await _admin.PutAsJsonAsync(Path, Rota());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var body = JsonDocument.Parse(await _admin.GetStringAsync(Path));
        var root = body.RootElement;
        Assert.Equal((Team, "lead", "lead@trust.test"), (root.GetProperty("teamId").GetString(), root.GetProperty("teamLead").GetString(), root.GetProperty("teamLeadContact").GetProperty("email").GetString()));
        var entries = root.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["nurse1", "nurse2"], entries.Select(e => e.GetProperty("username").GetString()));
        Assert.Equal("sms-gateway", entries[1].GetProperty("webhook").GetString());
        Assert.Equal(Start, entries[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal(Start.AddHours(12), entries[0].GetProperty("end").GetDateTimeOffset());
        var partner = Assert.Single(root.GetProperty("partners").EnumerateArray());
        Assert.Equal(("gp-practice", "gp", "high", 3), (partner.GetProperty("id").GetString(), partner.GetProperty("kind").GetString(), partner.GetProperty("minimumSeverity").GetString(), partner.GetProperty("fromStep").GetInt32()));
        Assert.Equal(TelehealthPlatform.AdminUsername, root.GetProperty("updatedBy").GetString());
    }

    [Fact]
    public async Task A_wrong_rota_is_refused_with_every_reason_and_nothing_stored()
    {
        var response = await _admin.PutAsJsonAsync(Path, new
        {
            teamLead = "",
            teamLeadContact = new { email = "not-an-address" },
            entries = new object[]
            {
                new { username = "nurse1", start = Start, end = Start },
                new { username = "nurse2", webhook = "pager", start = Start, end = Start.AddHours(1) },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var reasons = problem.RootElement.GetProperty("errors").GetProperty("rota").EnumerateArray().Select(r => r.GetString()!.Split(':')[0]).ToList();
        Assert.Equal(["team_lead_required", "invalid_email", "shift_end_not_after_start", "contact_required", "unknown_webhook_target"], reasons);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync(Path)).StatusCode);
    }

    [Fact]
    public async Task Another_team_cannot_see_or_change_the_rota_and_only_an_admin_or_the_team_lead_may_change_it()
    {
        Assert.Equal(HttpStatusCode.OK, (await _admin.PutAsJsonAsync(Path, Rota())).StatusCode);
        using var outsider = await ClientAsync("south-lead", StaffRoles.TeamLead, "team-south"); // a lead, but of another team
        using var nurse = await ClientAsync("nurse1", StaffRoles.Clinician, Team);
        using var lead = await ClientAsync("lead", StaffRoles.TeamLead, Team);

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PutAsJsonAsync(Path, Rota())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await nurse.PutAsJsonAsync(Path, Rota(lead: "nurse1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await lead.PutAsJsonAsync(Path, Rota(lead: "lead"))).StatusCode);
        using var anonymous = _platform.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Path)).StatusCode);
        using var body = JsonDocument.Parse(await _admin.GetStringAsync(Path));
        Assert.Equal("lead", body.RootElement.GetProperty("updatedBy").GetString());
    }

    private static object Rota(string lead = "lead") => new
    {
        teamLead = lead,
        teamLeadContact = new { email = "lead@trust.test" },
        entries = new object[]
        {
            new { username = "nurse1", email = "nurse1@trust.test", start = Start, end = Start.AddHours(12) },
            new { username = "nurse2", webhook = "sms-gateway", start = Start, end = Start.AddHours(12) },
        },
        partners = new object[] { new { id = "gp-practice", kind = "gp", minimumSeverity = "high", fromStep = 3, email = "gp@practice.test" } },
    };

    private async Task<HttpClient> ClientAsync(string username, string role, string team)
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await _platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser(username, role, team), password);
        var client = _platform.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await _platform.GetTokenAsync(username, password));
        return client;
    }
}
