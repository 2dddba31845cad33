using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.FollowUp;
using Telehealth.Fhir.Mapping;
using Telehealth.Integration.Tests.Fhir;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using Task = System.Threading.Tasks.Task;

namespace Telehealth.Integration.Tests.Escalation;

/// <summary>
/// The telephone follow-up through HTTP on the running platform and a fake clock: a pendant press appears on the
/// worklist with its guide and first-call target; a call starts the follow-up (escalation stops); no answer schedules
/// the retry; the third unreached call re-opens the alert and the duty rota is worked again; the FHIR Task follows.
/// </summary>
public sealed class FollowUpCallTests(SmtpTestServer smtp) : IClassFixture<SmtpTestServer>
{
    private static readonly TimeSpan RetryAfter = CallPolicy.Default.RetryAfter;

    private static async Task<JsonElement> CallAsync(EscalationHarness harness, Guid alertId, object body)
    {
        var response = await harness.Staff.PostAsJsonAsync($"/api/alerts/{alertId}/calls", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await harness.QuietAsync();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<JsonElement> ItemAsync(EscalationHarness harness, Guid alertId) =>
        (await harness.Staff.GetJsonAsync("/api/worklist")).EnumerateArray().Single(i => i.Str("alertId") == alertId.ToString());

    [Fact]
    public async Task No_answer_schedules_a_retry_and_the_third_unreached_call_reopens_the_alert_for_escalation()
    {
        await using var harness = await EscalationHarness.StartAsync(smtp);
        var rota = await harness.PutRotaAsync(new { teamLead = "lead", teamLeadContact = new { email = harness.Email("lead") }, entries = harness.Shifts("nurse1", "nurse2") });
        Assert.Equal(HttpStatusCode.OK, rota.StatusCode);
        var alertId = await harness.PressPendantAsync();
        var raisedAt = harness.Clock.GetUtcNow();
        Assert.Equal(["nurse1"], harness.EmailedInOrder());

        var before = await ItemAsync(harness, alertId);
        Assert.Equal(("telecare_event", "critical", "open", 0), (before.Str("kind"), before.Str("severity"), before.Str("status"), before.GetProperty("attempts").GetInt32()));
        Assert.Equal(raisedAt + CallPolicy.Default.FirstCallCritical, before.GetProperty("firstCallDue").GetDateTimeOffset());
        Assert.Equal(before.GetProperty("firstCallDue").GetDateTimeOffset(), before.GetProperty("nextCallAt").GetDateTimeOffset());
        Assert.Equal(CallGuides.For("event:pendant_press"), before.Str("callGuide"));

        var first = await CallAsync(harness, alertId, new { outcome = "no_answer", notes = "rang 10 times" });
        var firstAt = harness.Clock.GetUtcNow();
        Assert.Equal(("in_follow_up", 1), (first.Str("status"), first.GetProperty("callAttempts").GetInt32()));
        var waiting = await ItemAsync(harness, alertId);
        Assert.Equal(firstAt + RetryAfter, waiting.GetProperty("nextCallAt").GetDateTimeOffset());
        Assert.False(waiting.GetProperty("overdue").GetBoolean());
        Assert.Equal([(1, "no_answer", "rang 10 times")], waiting.GetProperty("calls").EnumerateArray().Select(c => (c.GetProperty("number").GetInt32(), c.Str("outcome"), c.Str("notes"))));

        // Someone is on it: the rota is not worked while the calls go on.
        await harness.AdvanceAsync(ResponsePolicyDeadline());
        Assert.Equal(["nurse1"], harness.EmailedInOrder());
        await harness.AdvanceAsync(RetryAfter);
        Assert.True((await ItemAsync(harness, alertId)).GetProperty("overdue").GetBoolean());

        await CallAsync(harness, alertId, new { outcome = "busy" });
        await harness.AdvanceAsync(RetryAfter);
        var third = await CallAsync(harness, alertId, new { outcome = "no_answer", actions = new[] { "gp_informed" } });

        Assert.Equal(("open", 3), (third.Str("status"), third.GetProperty("callAttempts").GetInt32()));
        var events = await harness.EventsAsync(alertId);
        Assert.Equal(
            [AlertEventType.CallAttempted, AlertEventType.CallAttempted, AlertEventType.CallAttempted, AlertEventType.Reopened],
            events.Where(e => e.Type is AlertEventType.CallAttempted or AlertEventType.Reopened).Select(e => e.Type));
        Assert.Equal(["no_answer", "busy", "no_answer"], events.Where(e => e.Type == AlertEventType.CallAttempted).Select(e => e.Event.Subject));
        Assert.Equal("Not reached after 3 call attempts", events.Single(e => e.Type == AlertEventType.Reopened).Event.Reason);
        // Re-opened: the ladder starts again from the first on duty, then climbs.
        Assert.Equal(["nurse1", "nurse1"], harness.EmailedInOrder());
        await harness.AdvanceAsync(ResponsePolicyDeadline());
        Assert.Equal(["nurse1", "nurse1", "nurse2"], harness.EmailedInOrder());

        var task = await harness.Staff.GetOkAsync<Hl7.Fhir.Model.Task>($"/fhir/Task/{FhirIds.Task(alertId)}");
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.Requested, task.Status);
        Assert.Equal(3, task.Note.Count);
        Assert.StartsWith("Call 1: no_answer; retry at ", task.Note[0].Text);
        Assert.Equal("Call 3: no_answer; gp_informed; not reached, escalated", task.Note[2].Text);
        Assert.DoesNotContain(task.Note, n => n.Text!.Contains("rang", StringComparison.Ordinal)); // staff notes stay in the platform
    }

    [Fact]
    public async Task A_reached_call_with_actions_leaves_nothing_due_and_a_bad_call_is_refused_with_reasons()
    {
        await using var harness = await EscalationHarness.StartAsync(smtp);
        var alertId = await harness.PressPendantAsync();

        var bad = await harness.Staff.PostAsJsonAsync($"/api/alerts/{alertId}/calls", new { outcome = "voicemail", actions = new[] { "advice_given", "sent_flowers" } });
        var reached = await CallAsync(harness, alertId, new { outcome = "reached", actions = new[] { "advice_given", "advised_111" } });
        var item = await ItemAsync(harness, alertId);
        var task = await harness.Staff.GetOkAsync<Hl7.Fhir.Model.Task>($"/fhir/Task/{FhirIds.Task(alertId)}");

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["outcome must be reached, no_answer, wrong_number or busy."], errors.GetProperty("outcome").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([$"Unknown action 'sent_flowers'. Known: {string.Join(", ", CallActions.All)}."], errors.GetProperty("actions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("in_follow_up", reached.Str("status"));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("nextCallAt").ValueKind);
        Assert.Equal(["advice_given", "advised_111"], item.GetProperty("calls")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(Hl7.Fhir.Model.Task.TaskStatus.InProgress, task.Status);
        Assert.Equal("Call 1: reached; advice_given, advised_111", Assert.Single(task.Note).Text);
    }

    private static TimeSpan ResponsePolicyDeadline() => Telehealth.CareRecord.Escalation.ResponsePolicy.Default.TelecareCritical;
}
