// FHIR POCO properties are all nullable; a missing element makes the test fail with an exception, which is what we want.
#nullable disable warnings
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Telehealth.CareRecord.Staff;
using Telehealth.Integration.Tests.Fhir;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>
/// Goals and care plan on the real platform: clinicians change them with a reason and a version, everyone on the team
/// reads them, other teams do not see the person; they are served at /fhir as Goal and CarePlan and pushed to the
/// configured FHIR server; calls and changes appear on the person's timeline; the thresholds in force at each time.
/// </summary>
public sealed class CarePlanApiTests : IAsyncLifetime
{
    private FhirTestServer _server = null!;
    private TelehealthPlatform _platform = null!;
    private HttpClient _admin = null!;
    private HttpClient _clinician = null!;

    // Always ahead of today, so the date rule does not get in the way of the test.
    private static readonly string Target = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        _server = await FhirTestServer.StartAsync();
        _platform = await TelehealthPlatform.StartAsync(OutboxHarness.Settings(_server));
        _admin = await _platform.CreateStaffClientAsync();
        _clinician = await _platform.CreateStaffClientAsync("goal-nurse", StaffRoles.Clinician);
    }

    public async Task DisposeAsync()
    {
        _clinician.Dispose();
        _admin.Dispose();
        await _platform.DisposeAsync();
        await _server.DisposeAsync();
    }

    private static object Walk(string status, string reason, int? version = null) =>
        new { description = "Walk to the shop with a frame", targetMeasure = "Walks 200 m with a frame", targetDate = Target, status, reason, version };

    [Fact]
    public async Task A_clinician_changes_goals_and_activities_with_reasons_and_versions_others_only_read_and_other_teams_see_nothing()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_admin, "Goal Person");
        using var phone = await _platform.CreateStaffClientAsync("goal-phone", StaffRoles.TelephoneSupport);
        using var south = await _platform.CreateStaffClientAsync("goal-south", StaffRoles.Clinician, "team-south");

        var empty = await phone.GetJsonAsync($"/api/patients/{patientId}/care-plan");
        Assert.Equal((0, 0, 0), (empty.GetProperty("version").GetInt32(), empty.GetProperty("goals").GetArrayLength(), empty.GetProperty("activities").GetArrayLength()));

        var created = await _clinician.PostAsJsonAsync($"/api/patients/{patientId}/care-plan/goals", Walk("active", "Agreed at the home visit"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var goal = await created.Content.ReadFromJsonElementAsync();
        var goalId = goal.Str("id");
        Assert.Equal($"/api/patients/{patientId}/care-plan/goals/{goalId}", created.Headers.Location!.OriginalString);
        Assert.Equal(("Walk to the shop with a frame", "Walks 200 m with a frame", Target, "active", 1, "goal-nurse", "Agreed at the home visit"),
            (goal.Str("description"), goal.Str("targetMeasure"), goal.Str("targetDate"), goal.Str("status"), goal.GetProperty("version").GetInt32(),
             goal.Str("changedBy"), goal.Str("reason")));

        // Without a reason, or from an old version, nothing is stored.
        var noReason = await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("achieved", " ", 1));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason is required (at most 500 characters): the change is part of the person's record.",
            (await noReason.Content.ReadFromJsonElementAsync()).GetProperty("errors").GetProperty("reason")[0].GetString());
        var achieved = await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("achieved", "Walked to the shop on the visit", 1));
        Assert.Equal(HttpStatusCode.OK, achieved.StatusCode);
        var achievedGoal = await achieved.Content.ReadFromJsonElementAsync();
        Assert.Equal(("achieved", 2), (achievedGoal.Str("status"), achievedGoal.GetProperty("version").GetInt32()));
        var stale = await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("cancelled", "Stale form", 1));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var badMove = await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("cancelled", "Not pursued", 2));
        Assert.Equal("A goal cannot go from achieved to cancelled.",
            (await badMove.Content.ReadFromJsonElementAsync()).GetProperty("errors").GetProperty("status")[0].GetString());

        var activities = new[]
        {
            new { description = "Blood pressure", schedule = "every morning", performer = "the person" },
            new { description = "Physiotherapy visit", schedule = "twice weekly", performer = "physiotherapist" },
        };
        var staleActivities = await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/activities", new { activities, reason = "Discharge plan", version = 1 });
        Assert.Equal(HttpStatusCode.Conflict, staleActivities.StatusCode);
        var plan = await (await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/activities", new { activities, reason = "Discharge plan", version = 2 }))
            .Content.ReadFromJsonElementAsync();
        Assert.Equal(3, plan.GetProperty("version").GetInt32());
        Assert.Equal(["Blood pressure|every morning|the person", "Physiotherapy visit|twice weekly|physiotherapist"],
            plan.GetProperty("activities").EnumerateArray().Select(a => $"{a.Str("description")}|{a.Str("schedule")}|{a.Str("performer")}"));

        // Telephone support reads everything and changes nothing.
        var read = await phone.GetJsonAsync($"/api/patients/{patientId}/care-plan");
        Assert.Equal((3, "achieved", 2), (read.GetProperty("version").GetInt32(), read.GetProperty("goals")[0].Str("status"), read.GetProperty("activities").GetArrayLength()));
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PostAsJsonAsync($"/api/patients/{patientId}/care-plan/goals", Walk("active", "Phone"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("active", "Phone", 2))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/activities", new { activities, reason = "Phone", version = 3 })).StatusCode);

        // Another team's clinician: the person does not exist for them, to read or to change.
        Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/api/patients/{patientId}/care-plan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/api/patients/{patientId}/care-plan/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await south.PostAsJsonAsync($"/api/patients/{patientId}/care-plan/goals", Walk("active", "Other team"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await south.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("active", "Other team", 2))).StatusCode);

        var history = (await phone.GetJsonAsync($"/api/patients/{patientId}/care-plan/history")).EnumerateArray().ToList();
        Assert.Equal(
        [
            (1, "goal_added", $"Goal added: Walk to the shop with a frame (active, target: Walks 200 m with a frame, by {Target})", "goal-nurse", "Agreed at the home visit"),
            (2, "goal_changed", "Goal Walk to the shop with a frame: status active → achieved", "goal-nurse", "Walked to the shop on the visit"),
            (3, "activities_changed", "Care plan activities: added Blood pressure (every morning, the person); added Physiotherapy visit (twice weekly, physiotherapist)", "goal-nurse", "Discharge plan"),
        ], history.Select(r => (r.GetProperty("sequence").GetInt32(), r.Str("kind"), r.Str("summary"), r.Str("changedBy"), r.Str("reason"))));
    }

    [Fact]
    public async Task Goals_and_the_care_plan_are_served_at_fhir_for_the_team_and_pushed_with_their_versions()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_admin, "Fhir Goal Person");
        var goalId = (await (await _clinician.PostAsJsonAsync($"/api/patients/{patientId}/care-plan/goals", Walk("proposed", "Suggested at review")))
            .Content.ReadFromJsonElementAsync()).Str("id");
        (await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{goalId}", Walk("active", "Agreed with the person", 1))).EnsureSuccessStatusCode();
        var second = (await (await _clinician.PostAsJsonAsync($"/api/patients/{patientId}/care-plan/goals",
            new { description = "Make tea unaided", status = "active", reason = "Own wish" })).Content.ReadFromJsonElementAsync()).Str("id");
        (await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/goals/{second}",
            new { description = "Make tea unaided", status = "cancelled", reason = "Moved to a care home with meals", version = 1 })).EnsureSuccessStatusCode();
        (await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/care-plan/activities",
            new { activities = new[] { new { description = "Blood pressure", schedule = "every morning", performer = "the person" } }, reason = "BP watch", version = 4 }))
            .EnsureSuccessStatusCode();
        var goalFhirId = "goal-" + Guid.Parse(goalId).ToString("N");
        var secondFhirId = "goal-" + Guid.Parse(second).ToString("N");

        var served = await _clinician.GetOkAsync<Goal>($"/fhir/Goal/{goalFhirId}");
        Assert.Equal(("2", Goal.GoalLifecycleStatus.Active, "in-progress", $"Patient/{patientId}", "Walk to the shop with a frame", Target),
            (served.Meta.VersionId, served.LifecycleStatus, served.AchievementStatus!.Coding[0].Code, served.Subject.Reference, served.Description.Text,
             ((Date)served.Target[0].Due).Value));
        var carePlan = await _clinician.GetOkAsync<CarePlan>($"/fhir/CarePlan/{patientId}.careplan");
        Assert.Equal(("5", $"Patient/{patientId}", RequestStatus.Active, CarePlan.CarePlanIntent.Plan),
            (carePlan.Meta.VersionId, carePlan.Subject.Reference, carePlan.Status, carePlan.Intent));
        Assert.Equal([$"Goal/{goalFhirId}"], carePlan.Goal.Select(g => g.Reference)); // the cancelled goal is no longer part of the plan
        Assert.Equal(("Blood pressure", "every morning", "the person"),
            (carePlan.Activity[0].Detail.Description, ((FhirString)carePlan.Activity[0].Detail.Scheduled).Value, carePlan.Activity[0].Detail.Performer[0].Display));
        var goals = (await _clinician.GetOkAsync<Bundle>($"/fhir/Goal?patient={patientId}")).Matches<Goal>();
        Assert.Equal([goalFhirId, secondFhirId], goals.Select(g => g.Id));
        Assert.Equal([secondFhirId], (await _clinician.GetOkAsync<Bundle>($"/fhir/Goal?patient={patientId}&lifecycle-status=cancelled")).Matches<Goal>().Select(g => g.Id));
        Assert.Single((await _clinician.GetOkAsync<Bundle>($"/fhir/CarePlan?patient=Patient/{patientId}")).Matches<CarePlan>());

        // Another team: 404 on read, nothing in a search.
        using var south = await _platform.CreateStaffClientAsync("fhir-south", StaffRoles.Clinician, "team-south");
        await south.GetOutcomeAsync($"/fhir/Goal/{goalFhirId}", HttpStatusCode.NotFound);
        await south.GetOutcomeAsync($"/fhir/CarePlan/{patientId}.careplan", HttpStatusCode.NotFound);
        Assert.Empty((await south.GetOkAsync<Bundle>($"/fhir/Goal?patient={patientId}")).Matches<Goal>());
        Assert.Empty((await south.GetOkAsync<Bundle>("/fhir/CarePlan")).Matches<CarePlan>());

        // Pushed: the Patient first, every goal version before the CarePlan version that names it, each CarePlan
        // version with ours in meta.versionId (a server keeps its own version ids, as the test server does).
        var drained = await _admin.WaitUntilDrainedAsync(minimumSent: 10);
        Assert.Equal((0, 0), (drained.Pending, drained.Failed));
        string[] sent =
        [
            $"Patient/{patientId}", $"Goal/{goalFhirId}", $"CarePlan/{patientId}.careplan", $"Goal/{goalFhirId}", $"CarePlan/{patientId}.careplan",
            $"Goal/{secondFhirId}", $"CarePlan/{patientId}.careplan", $"Goal/{secondFhirId}", $"CarePlan/{patientId}.careplan", $"CarePlan/{patientId}.careplan",
        ];
        Assert.Equal(sent, drained.SentInOrder(patientId));
        // The CarePlan of the goal's proposed → active change differs only in meta, so the server keeps no new version of it.
        Assert.Equal([.. sent[..4], .. sent[5..]], _server.ArrivedInOrder(patientId));
        var pushedPlan = Assert.Single(_server.Current("CarePlan"));
        Assert.Equal(($"Patient/{patientId}", "4"), (pushedPlan["subject"].Text("reference"), pushedPlan["meta"].Text("versionId")));
        Assert.Equal([$"Goal/{goalFhirId}"], pushedPlan["goal"]!.AsArray().Select(g => g.Text("reference")));
        Assert.Equal(["active", "cancelled"], _server.Current("Goal").Select(g => g.Text("lifecycleStatus")).Order());
    }

    [Fact]
    public async Task The_timeline_shows_calls_and_care_plan_changes_and_the_threshold_history_gives_each_period_in_force()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(_admin, "Timeline Goal Person");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(_admin, patientId, "pendant_alarm");
        await using (var device = await MqttDevice.ConnectAsync(_platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var alertId = (await Eventually.GetAsync(() => _admin.GetJsonAsync($"/api/alerts?patientId={patientId}"), a => a.GetArrayLength() == 1, TimeSpan.FromSeconds(30)))[0].Str("id");
        using var phone = await _platform.CreateStaffClientAsync("timeline-phone", StaffRoles.TelephoneSupport);
        (await phone.PostAsJsonAsync($"/api/alerts/{alertId}/calls", new { outcome = "no_answer", actions = Array.Empty<string>(), notes = (string?)null })).EnsureSuccessStatusCode();
        (await phone.PostAsJsonAsync($"/api/alerts/{alertId}/calls", new { outcome = "reached", actions = new[] { "advice_given", "visit_arranged" }, notes = "Fell in the garden, no injury" }))
            .EnsureSuccessStatusCode();
        (await _clinician.PostAsJsonAsync($"/api/patients/{patientId}/care-plan/goals", Walk("active", "After the fall"))).EnsureSuccessStatusCode();
        var before = DateTimeOffset.UtcNow;
        (await _clinician.PutAsJsonAsync($"/api/patients/{patientId}/thresholds", new { thresholds = new[] { new { kind = "spo2", criticalLow = 88.0, low = 92.0 } } }))
            .EnsureSuccessStatusCode();

        var items = (await phone.GetJsonAsync($"/api/patients/{patientId}/timeline")).EnumerateArray().ToList();
        var calls = items.Where(i => i.Str("kind") == "call").ToList();
        Assert.Equal(
        [
            ("reached", $"Call 2 about Pendant alarm pressed (device {pendant.DeviceId}): reached; advice given, visit arranged. Notes: Fell in the garden, no injury", "timeline-phone"),
            ("no_answer", null, "timeline-phone"),
        ], calls.Select(c => (c.Str("type"), c.Str("type") == "reached" ? c.Str("text") : null, c.Str("actor"))));
        Assert.StartsWith($"Call 1 about Pendant alarm pressed (device {pendant.DeviceId}): no answer; retry at ", calls[1].Str("text"), StringComparison.Ordinal);
        Assert.DoesNotContain(items, i => i.Str("type") == "call_attempted");
        var change = Assert.Single(items, i => i.Str("kind") == "care_plan");
        Assert.Equal(("goal_added", $"Goal added: Walk to the shop with a frame (active, target: Walks 200 m with a frame, by {Target}). Reason: After the fall", "goal-nurse"),
            (change.Str("type"), change.Str("text"), change.Str("actor")));

        // The defaults up to the change, then the clinician's limits, still in force.
        var from = DateTimeOffset.UtcNow.AddDays(-1);
        var periods = (await phone.GetJsonAsync($"/api/patients/{patientId}/thresholds/history?from={Uri.EscapeDataString(from.ToString("O"))}")).EnumerateArray().ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(from.ToUnixTimeMilliseconds(), periods[0].GetProperty("from").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var changedAt = periods[1].GetProperty("from").GetDateTimeOffset();
        Assert.True(changedAt >= before.AddMilliseconds(-1), $"{changedAt:O} is before the change was asked for ({before:O})");
        Assert.Equal((changedAt, JsonValueKind.Null), (periods[0].GetProperty("to").GetDateTimeOffset(), periods[1].GetProperty("to").ValueKind));
        static (double?, double?) Spo2(JsonElement period) =>
            period.GetProperty("effective").EnumerateArray().Single(t => t.Str("kind") == "spo2") is var t
                ? (t.GetProperty("criticalLow").GetDouble(), t.GetProperty("low").GetDouble()) : default;
        Assert.Equal([(91.0, 94.0), (88.0, 92.0)], periods.Select(Spo2));
        // A range wholly before the change: only the defaults.
        var old = (await phone.GetJsonAsync($"/api/patients/{patientId}/thresholds/history?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(before.AddSeconds(-1).ToString("O"))}"))
            .EnumerateArray().ToList();
        Assert.Equal([(91.0, 94.0)], old.Select(Spo2));
        using var south = await _platform.CreateStaffClientAsync("history-south", StaffRoles.Clinician, "team-south");
        Assert.Equal(HttpStatusCode.NotFound, (await south.GetAsync($"/api/patients/{patientId}/thresholds/history")).StatusCode);
    }
}
