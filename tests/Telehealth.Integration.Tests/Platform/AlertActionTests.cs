using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telehealth.Clinician.Web.Auth;
using Telehealth.TestSupport;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// Staff actions on an alert through the real platform: acknowledge, assign, follow-up, resolve with an outcome,
/// snooze and its undo. Each is team-scoped, answers ProblemDetails with a reason code when not allowed, and is an
/// event in the alert's history with the member of staff as actor.
/// </summary>
public sealed class AlertActionTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    [Trait("Hazard", "H3")]
    public async Task Two_people_taking_one_alert_at_once_one_gets_it_and_the_other_409_with_the_owner()
    {
        var alertId = await RaiseSpo2AlertAsync("Race Person");
        using var colleague = await ColleagueAsync("nurse.race");

        var responses = await Task.WhenAll(
            Staff.PostAsJsonAsync($"/api/alerts/{alertId}/acknowledge", new { }),
            colleague.PostAsJsonAsync($"/api/alerts/{alertId}/acknowledge", new { }));

        var statuses = responses.Select(r => r.StatusCode).Order().ToArray();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        var winner = await Body(responses.Single(r => r.StatusCode == HttpStatusCode.OK));
        var loser = await Body(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal("application/problem+json", responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.Headers.ContentType!.MediaType);
        Assert.Equal(("taken_by_another", winner.Str("acknowledgedBy")), (loser.Str("code"), loser.Str("owner")));
        var history = await Staff.GetJsonAsync($"/api/alerts/{alertId}/events");
        Assert.Equal(["raised", "acknowledged"], history.EnumerateArray().Select(e => e.Str("eventType")).ToArray());

        // A second assignment race: the owner can hand it over; someone else cannot take it without naming the owner.
        var owner = winner.Str("acknowledgedBy");
        var other = owner == TelehealthPlatform.AdminUsername ? colleague : Staff;
        var otherName = owner == TelehealthPlatform.AdminUsername ? "nurse.race" : TelehealthPlatform.AdminUsername;
        var grab = await other.PostAsJsonAsync($"/api/alerts/{alertId}/assign", new { to = otherName });
        Assert.Equal(HttpStatusCode.Conflict, grab.StatusCode);
        Assert.Equal(owner, (await Body(grab)).Str("owner"));
        var handOver = await other.PostJsonAsync($"/api/alerts/{alertId}/assign", new { to = otherName, expectedOwner = owner });
        Assert.Equal(otherName, handOver.Str("assignedTo"));
    }

    [Fact]
    [Trait("Hazard", "H3")]
    public async Task Assign_follow_up_and_resolve_record_who_did_what_and_the_outcome()
    {
        var alertId = await RaiseSpo2AlertAsync("Lifecycle Person");
        using var colleague = await ColleagueAsync("nurse.flow");

        var assigned = await Staff.PostJsonAsync($"/api/alerts/{alertId}/assign", new { to = "nurse.flow" });
        Assert.Equal(("open", "nurse.flow"), (assigned.Str("status"), assigned.Str("assignedTo")));
        var following = await colleague.PostJsonAsync($"/api/alerts/{alertId}/follow-up", new { });
        Assert.Equal(("in_follow_up", "nurse.flow", "nurse.flow"), (following.Str("status"), following.Str("acknowledgedBy"), following.Str("followUpBy")));
        var resolved = await colleague.PostJsonAsync($"/api/alerts/{alertId}/resolve", new { outcome = "referred_to_partner", note = "GP visit booked" });
        Assert.Equal(("resolved", "referred_to_partner", "nurse.flow"), (resolved.Str("status"), resolved.Str("outcome"), resolved.Str("resolvedBy")));

        var history = (await Staff.GetJsonAsync($"/api/alerts/{alertId}/events")).EnumerateArray().ToArray();
        Assert.Equal(
            [("raised", "system"), ("assigned", "admin"), ("acknowledged", "nurse.flow"), ("follow_up_started", "nurse.flow"), ("resolved", "nurse.flow")],
            history.Select(e => (e.Str("eventType"), e.Str("eventActor"))).ToArray());
        Assert.Equal("nurse.flow", history[1].Str("eventSubject"));
        Assert.Equal("referred_to_partner: GP visit booked", history[4].Str("eventReason"));

        var again = await Staff.PostAsJsonAsync($"/api/alerts/{alertId}/resolve", new { outcome = "false_alarm" });
        Assert.Equal((HttpStatusCode.Conflict, "alert_resolved"), (again.StatusCode, (await Body(again)).Str("code")));
        Assert.DoesNotContain((await Staff.GetJsonAsync($"/api/alerts?status=active")).EnumerateArray(), a => a.Str("id") == alertId);
    }

    [Fact]
    [Trait("Hazard", "H20")]
    public async Task A_snooze_is_one_persons_visible_in_the_history_and_anyone_can_end_it()
    {
        var alertId = await RaiseSpo2AlertAsync("Snooze Person");
        using var colleague = await ColleagueAsync("nurse.snooze");

        var snoozed = await Staff.PostJsonAsync($"/api/alerts/{alertId}/snooze", new { minutes = 30 });
        Assert.Equal("open", snoozed.Str("status"));   // still open: the team is still on it
        var tooLong = await Staff.PostAsJsonAsync($"/api/alerts/{alertId}/snooze", new { minutes = 121 });
        Assert.Equal((HttpStatusCode.BadRequest, "snooze_too_long"), (tooLong.StatusCode, (await Body(tooLong)).Str("code")));
        var notTheirs = await colleague.DeleteAsync($"/api/alerts/{alertId}/snooze");
        Assert.Equal((HttpStatusCode.Conflict, "not_snoozed"), (notTheirs.StatusCode, (await Body(notTheirs)).Str("code")));

        var ended = await colleague.DeleteAsync($"/api/alerts/{alertId}/snooze?staff=admin");
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);

        var history = (await Staff.GetJsonAsync($"/api/alerts/{alertId}/events")).EnumerateArray().ToArray();
        Assert.Equal([("raised", "system", null), ("snoozed", "admin", "admin"), ("unsnoozed", "nurse.snooze", "admin")],
            history.Select(e => (e.Str("eventType"), e.Str("eventActor"), e.GetProperty("eventSubject").GetString())).ToArray());
        var until = history[1].GetProperty("eventUntil").GetDateTimeOffset();
        Assert.InRange(until - history[1].GetProperty("updatedAt").GetDateTimeOffset(), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(31));
    }

    [Fact]
    [Trait("Hazard", "H12")]
    public async Task Actions_on_another_teams_alert_or_with_bad_input_are_refused()
    {
        var alertId = await RaiseSpo2AlertAsync("Other Team Person");
        await Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser("nurse.elsewhere", StaffRoles.Clinician, "team-elsewhere"), "pw-elsewhere-1");
        using var outsider = Client(await Platform.GetTokenAsync("nurse.elsewhere", "pw-elsewhere-1"));

        foreach (var path in new[] { "acknowledge", "follow-up", "resolve", "snooze", "assign" })
        {
            var response = await outsider.PostAsJsonAsync($"/api/alerts/{alertId}/{path}", new { outcome = "false_alarm", minutes = 5, to = "nurse.elsewhere" });
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        var badOutcome = await Staff.PostAsJsonAsync($"/api/alerts/{alertId}/resolve", new { outcome = "auto_cleared" });
        Assert.Equal((HttpStatusCode.BadRequest, "outcome_reserved"), (badOutcome.StatusCode, (await Body(badOutcome)).Str("code")));
        var unknownOutcome = await Staff.PostAsJsonAsync($"/api/alerts/{alertId}/resolve", new { outcome = "fixed" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownOutcome.StatusCode);
        var notInTeam = await Staff.PostAsJsonAsync($"/api/alerts/{alertId}/assign", new { to = "nurse.elsewhere" });
        Assert.Equal(HttpStatusCode.BadRequest, notInTeam.StatusCode);
        Assert.Equal(["raised"], (await Staff.GetJsonAsync($"/api/alerts/{alertId}/events")).EnumerateArray().Select(e => e.Str("eventType")).ToArray());
    }

    private async Task<string> RaiseSpo2AlertAsync(string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, name);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":93}]""");
        var alerts = await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}");
        return alerts.EnumerateArray().Single(a => a.Str("condition") == "threshold:spo2").Str("id");
    }

    private async Task<HttpClient> ColleagueAsync(string username)
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var team = Platform.Services.GetRequiredService<IOptions<AuthOptions>>().Value.DefaultTeamId;
        await Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser(username, StaffRoles.Clinician, team), password);
        return Client(await Platform.GetTokenAsync(username, password));
    }

    private HttpClient Client(string token)
    {
        var client = Platform.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> Body(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
