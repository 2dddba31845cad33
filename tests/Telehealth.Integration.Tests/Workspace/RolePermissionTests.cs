using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>
/// The permission matrix as a client meets it: every endpoint names the permission it needs, and a role refused gets
/// 403 with the reason (its role, the permission) before anything changes.
/// </summary>
public sealed class RolePermissionTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;

    [Fact]
    public void Every_endpoint_names_a_permission_or_is_anonymous()
    {
        var endpoints = Platform.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        var unguarded = endpoints
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<RequiresPermission>() is null)
            .Select(e => e.RoutePattern.RawText)
            .Where(route => route != "/openapi/{documentName}.json") // the API description: no patient data
            .ToList();

        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        Assert.Empty(unguarded);
    }

    public static TheoryData<string, string, string, string, string> Refusals() => new()
    {
        // role, method, path ({p} = a patient of the team), body, the permission named in the refusal
        { StaffRoles.TelephoneSupport, "PUT", "/api/patients/{p}/thresholds", """{"thresholds":[]}""", "change_clinical_settings" },
        { StaffRoles.Admin, "PUT", "/api/patients/{p}/thresholds", """{"thresholds":[]}""", "change_clinical_settings" },
        { StaffRoles.TeamLead, "PUT", "/api/patients/{p}/care-settings", """{"news2Scale":2,"onSupplementalOxygen":true,"reason":"x"}""", "change_clinical_settings" },
        { StaffRoles.TelephoneSupport, "POST", "/api/patients/{p}/observations", """{"kind":"consciousness","value":"alert"}""", "record_observations" },
        { StaffRoles.Clinician, "POST", "/api/devices", """{"patientId":"{p}","type":"pulse_oximeter"}""", "manage_devices" },
        { StaffRoles.TelephoneSupport, "POST", "/api/patients", """{"displayName":"Nobody"}""", "register_patients" },
        { StaffRoles.TeamLead, "POST", "/api/teams", """{"name":"Lead's own"}""", "manage_teams" },
        { StaffRoles.TeamLead, "POST", "/api/staff", """{"username":"x1","password":"long enough pw","role":"clinician","teamId":"team-community-rehab"}""", "manage_staff" },
        { StaffRoles.Clinician, "GET", "/api/staff", "", "view_staff" },
        { StaffRoles.Clinician, "PUT", "/api/teams/team-community-rehab/rota", "{}", "manage_rota" },
        { StaffRoles.TelephoneSupport, "GET", "/api/auth/failures", "", "view_operations" },
        { StaffRoles.Clinician, "GET", "/api/fhir/outbox", "", "view_operations" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_role_refused_gets_403_naming_its_role_and_the_permission_and_nothing_changes(
        string role, string method, string path, string body, string permission)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(fixture.Staff, "Refusal Person");
        using var client = await Platform.CreateStaffClientAsync($"r-{Guid.NewGuid():N}"[..20], role);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{p}", patientId));
        if (body.Length > 0)
        {
            request.Content = new StringContent(body.Replace("{p}", patientId), System.Text.Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((StaffPermissions.ForbiddenForRole, role, permission), (problem.Str("code"), problem.Str("role"), problem.Str("permission")));
        Assert.StartsWith($"Your role ({role}) may not ", problem.Str("title"));
        var thresholds = await fixture.Clinician.GetJsonAsync($"/api/patients/{patientId}/thresholds");
        Assert.Equal(0, thresholds.GetProperty("overrides").GetArrayLength());
        Assert.Equal(0, (await fixture.Staff.GetJsonAsync($"/api/devices?patientId={patientId}")).GetArrayLength());
    }

    [Fact]
    public async Task Telephone_support_reads_the_caseload_and_edits_nothing_clinical()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(fixture.Staff, "Phone Person");
        using var support = await Platform.CreateStaffClientAsync("phone.support1", StaffRoles.TelephoneSupport);

        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/api/patients/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/api/patients/{patientId}/thresholds")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("/api/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync($"/fhir/Patient/{patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await support.PutAsJsonAsync($"/api/patients/{patientId}/thresholds", new { thresholds = Array.Empty<object>() })).StatusCode);
    }

    [Fact]
    public async Task A_stored_call_handler_signs_in_as_telephone_support()
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser("old.caller", "call_handler", TelehealthPlatform.DefaultTeamId), password);

        var token = await Platform.GetTokenAsync("old.caller", password);
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var claims = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='))).RootElement;
        var listed = (await fixture.Staff.GetJsonAsync("/api/staff")).EnumerateArray().Single(s => s.Str("username") == "old.caller");

        Assert.Equal(StaffRoles.TelephoneSupport, claims.Str("role"));
        Assert.Equal(StaffRoles.TelephoneSupport, listed.Str("role"));
    }
}
