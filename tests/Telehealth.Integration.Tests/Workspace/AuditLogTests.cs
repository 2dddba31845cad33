using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telehealth.CareRecord.Staff;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>Every view and change of a person's record is one audit row (who, role, when, person, action, route); refused calls and list views are not.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private TelehealthPlatform _platform = null!;
    private HttpClient _admin = null!;
    private HttpClient _clinician = null!;
    private HttpClient _support = null!;
    private HttpClient _lead = null!;

    public async Task InitializeAsync()
    {
        _platform = await TelehealthPlatform.StartAsync();
        _admin = await _platform.CreateStaffClientAsync();
        _clinician = await _platform.CreateStaffClientAsync("nurse.audit", StaffRoles.Clinician);
        _support = await _platform.CreateStaffClientAsync("phone.audit", StaffRoles.TelephoneSupport);
        _lead = await _platform.CreateStaffClientAsync("lead.audit", StaffRoles.TeamLead);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { _admin, _clinician, _support, _lead })
        {
            client.Dispose();
        }
        await _platform.DisposeAsync();
    }

    private static List<(string Actor, string Role, string Action, string Resource)> Rows(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(r => (r.Str("actor"), r.Str("role"), r.Str("action"), r.Str("resource"))).ToList();

    /// <summary>Admin adds the person; the clinician opens them, sets a band, reads readings; telephone support reads the FHIR Patient and is refused a band.</summary>
    private async Task<string> WorkOnAPersonAsync()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_admin, "Audited Person");
        Assert.Equal(HttpStatusCode.OK, (await _clinician.GetAsync($"/api/patients/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/thresholds", new { thresholds = new[] { new { kind = "spo2", criticalLow = 84, low = 88 } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _clinician.GetAsync($"/api/patients/{patientId}/readings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _support.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _support.PutAsJsonAsync($"/api/patients/{patientId}/thresholds", new { thresholds = Array.Empty<object>() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _support.GetAsync("/api/patients")).StatusCode); // the caseload list is no one person's record
        return patientId;
    }

    [Fact]
    public async Task Each_view_and_change_is_one_row_newest_first_and_a_refused_call_or_a_list_is_none()
    {
        var patientId = await WorkOnAPersonAsync();

        var page = await _lead.GetJsonAsync($"/api/audit?patientId={patientId}");

        Assert.Equal(
        [
            ("phone.audit", "telephone_support", "view", "GET /fhir/Patient/{id}"),
            ("nurse.audit", "clinician", "view", "GET /api/patients/{id}/readings"),
            ("nurse.audit", "clinician", "change", "PUT /api/patients/{id}/thresholds"),
            ("nurse.audit", "clinician", "view", "GET /api/patients/{id}"),
            ("admin", "admin", "create", "POST /api/patients"),
        ], Rows(page));
        Assert.All(page.GetProperty("items").EnumerateArray(), r => Assert.Equal((patientId, TelehealthPlatform.DefaultTeamId), (r.Str("patientId"), r.Str("teamId"))));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextBefore").ValueKind);
    }

    [Fact]
    public async Task The_audit_pages_with_before_and_exports_the_same_rows_as_csv()
    {
        var patientId = await WorkOnAPersonAsync();
        var all = (await _admin.GetJsonAsync($"/api/audit?patientId={patientId}")).GetProperty("items").EnumerateArray().ToList();

        var pages = new List<JsonElement>();
        var path = $"/api/audit?patientId={patientId}&limit=2";
        while (true)
        {
            var page = await _lead.GetJsonAsync(path);
            pages.Add(page);
            if (page.GetProperty("nextBefore").ValueKind != JsonValueKind.Number)
            {
                break;
            }
            path = $"/api/audit?patientId={patientId}&limit=2&before={page.GetProperty("nextBefore").GetInt64()}";
        }
        var csvResponse = await _lead.GetAsync($"/api/audit?patientId={patientId}&format=csv");
        var lines = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        Assert.Equal(all.Select(r => r.GetProperty("sequence").GetInt64()), pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(r => r.GetProperty("sequence").GetInt64()));
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal("sequence,at,actor,role,patient_id,team_id,action,resource", lines[0]);
        Assert.Equal(
            all.Select(r => $"{r.GetProperty("sequence").GetInt64()},{r.GetProperty("at").GetDateTimeOffset().UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}Z,{r.Str("actor")},{r.Str("role")},{patientId},{TelehealthPlatform.DefaultTeamId},{r.Str("action")},{r.Str("resource")}"),
            lines.Skip(1));
    }

    [Fact]
    public async Task A_team_lead_reads_only_their_teams_audit_and_other_roles_none()
    {
        var patientId = await WorkOnAPersonAsync();
        using var otherLead = await _platform.CreateStaffClientAsync("lead.elsewhere", StaffRoles.TeamLead, "team-elsewhere");

        Assert.Equal(HttpStatusCode.NotFound, (await otherLead.GetAsync($"/api/audit?patientId={patientId}")).StatusCode);
        Assert.Empty(Rows(await otherLead.GetJsonAsync("/api/audit")));
        Assert.Equal(HttpStatusCode.Forbidden, (await _clinician.GetAsync($"/api/audit?patientId={patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _support.GetAsync("/api/audit")).StatusCode);
        Assert.Equal(5, Rows(await _lead.GetJsonAsync("/api/audit")).Count);
    }
}
