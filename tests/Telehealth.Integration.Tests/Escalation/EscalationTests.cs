using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Json;
using Telehealth.Clinician.Web.Auth;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.Notifications.Webhooks;
using Telehealth.TestSupport;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Integration.Tests.Escalation;

/// <summary>
/// Escalation in the running platform, on a fake clock: a critical telecare alert (deadline 60 s, then every 60 s, as
/// alarm call handling requires) climbs the team's duty rota by email through a real SMTP server until someone
/// acknowledges it; every step and every delivery is in the alert's event log.
/// </summary>
public sealed class EscalationTests(SmtpTestServer smtp) : IClassFixture<SmtpTestServer>
{
    private static readonly TimeSpan Deadline = ResponsePolicy.Default.TelecareCritical;

    [Fact]
    public async Task H19_an_unacknowledged_critical_alert_climbs_the_rota_to_the_team_lead_and_round_again_until_acknowledged()
    {
        await using var harness = await EscalationHarness.StartAsync(smtp);
        await SetRotaAsync(harness);

        var alertId = await harness.PressPendantAsync();
        Assert.Equal(["nurse1"], harness.EmailedInOrder());

        await harness.AdvanceAsync(Deadline - TimeSpan.FromSeconds(1));
        Assert.Equal(["nurse1"], harness.EmailedInOrder());
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(["nurse1", "nurse2"], harness.EmailedInOrder());
        await harness.AdvanceAsync(Deadline);
        Assert.Equal(["nurse1", "nurse2", "lead"], harness.EmailedInOrder());
        await harness.AdvanceAsync(Deadline);
        Assert.Equal(["nurse1", "nurse2", "lead", "nurse1"], harness.EmailedInOrder());

        await harness.AcknowledgeAsync(alertId);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(["nurse1", "nurse2", "lead", "nurse1"], harness.EmailedInOrder());

        var events = await harness.EventsAsync(alertId);
        Assert.Equal(["nurse1", "nurse2", "lead", "nurse1"], await harness.EscalatedToAsync(alertId));
        var escalated = events.Where(e => e.Type == AlertEventType.Escalated).ToList();
        Assert.All(escalated, e => Assert.Equal(AlertEvent.System, e.Actor));
        Assert.Equal("New alert: first on the duty rota notified", escalated[0].Event.Reason);
        Assert.EndsWith("(step 2): team lead notified", escalated[2].Event.Reason, StringComparison.Ordinal);
        var sent = events.Where(e => e.Type == AlertEventType.NotificationSent).ToList();
        Assert.Equal(["nurse1", "nurse2", "lead", "nurse1"], sent.Select(e => e.Event.Subject));
        Assert.Equal($"email to {harness.Email("nurse2")}: delivered (email 250), pass 1, 1 attempt(s)", sent[1].Event.Reason);
        Assert.DoesNotContain(events, e => e.Type == AlertEventType.NotificationFailed);
        // Each notification follows its step in the log.
        Assert.All(escalated.Zip(sent), pair => Assert.True(pair.First.Sequence < pair.Second.Sequence));

        var mail = smtp.Messages().Last(m => m.Recipients.Contains(harness.Email("nurse1"))).Message;
        Assert.StartsWith("[Telehealth] Critical alert (event:pendant_press): respond by ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"Open it: https://telehealth.test/?alert={alertId}", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Escalation Person", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task H19_a_restart_in_the_middle_of_an_escalation_continues_at_the_right_step_without_a_burst()
    {
        await using var harness = await EscalationHarness.StartAsync(smtp);
        await SetRotaAsync(harness);
        var alertId = await harness.PressPendantAsync();
        await harness.AdvanceAsync(Deadline);
        Assert.Equal(["nurse1", "nurse2"], harness.EmailedInOrder());

        // Down for five deadlines: on return the overdue step goes once, not five times, and nobody is told twice.
        await harness.RestartAsync(whileDown: Deadline * 5);
        Assert.Equal(["nurse1", "nurse2", "lead"], harness.EmailedInOrder());
        Assert.Equal(["nurse1", "nurse2", "lead"], await harness.EscalatedToAsync(alertId));

        await harness.AdvanceAsync(Deadline - TimeSpan.FromSeconds(1));
        Assert.Equal(["nurse1", "nurse2", "lead"], harness.EmailedInOrder());
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(["nurse1", "nurse2", "lead", "nurse1"], harness.EmailedInOrder());

        await harness.AcknowledgeAsync(alertId);
        await harness.RestartAsync(whileDown: TimeSpan.FromMinutes(10));
        Assert.Equal(["nurse1", "nurse2", "lead", "nurse1"], harness.EmailedInOrder());
        Assert.Equal(4, (await harness.EventsAsync(alertId)).Count(e => e.Type == AlertEventType.NotificationSent));
    }

    [Fact]
    public async Task H20_a_snooze_passes_over_only_the_person_who_snoozed()
    {
        await using var harness = await EscalationHarness.StartAsync(smtp);
        await SetRotaAsync(harness);
        var alertId = await harness.PressPendantAsync();

        // nurse2 snoozes it through the API: the next step passes over them, not over the alert.
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await harness.Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser("nurse2", StaffRoles.Clinician, "team-community-rehab"), password);
        using var nurse2 = harness.Platform.CreateAnonymousClient();
        nurse2.DefaultRequestHeaders.Authorization = new("Bearer", await harness.Platform.GetTokenAsync("nurse2", password));
        var snoozed = await nurse2.PostAsJsonAsync($"/api/alerts/{alertId}/snooze", new { minutes = 30 });
        Assert.Equal(HttpStatusCode.OK, snoozed.StatusCode);
        await harness.QuietAsync();

        await harness.AdvanceAsync(Deadline);
        Assert.Equal(["nurse1", "lead"], harness.EmailedInOrder());
        await harness.AdvanceAsync(Deadline);
        Assert.Equal(["nurse1", "lead", "lead"], harness.EmailedInOrder());
        Assert.DoesNotContain("nurse2", await harness.EscalatedToAsync(alertId));
    }

    [Fact]
    public async Task H19_a_partner_is_told_once_by_signed_webhook_when_the_ladder_reaches_its_step()
    {
        await using var receiver = await WebhookTestReceiver.StartAsync();
        await using var harness = await EscalationHarness.StartAsync(smtp, receiver);
        await SetRotaAsync(harness, partners: [new { id = "ambulance-service", kind = "ambulance", minimumSeverity = "critical", fromStep = 2, webhook = "ambulance" }]);
        var alertId = await harness.PressPendantAsync();

        await harness.AdvanceAsync(Deadline);
        Assert.Empty(receiver.Requests);
        await harness.AdvanceAsync(Deadline);
        await harness.AdvanceAsync(Deadline);

        var request = Assert.Single(receiver.Requests);
        Assert.True(WebhookSignature.Verify(EscalationHarness.WebhookSecret, request.Timestamp, request.Signature, request.Body, harness.Clock.GetUtcNow(), TimeSpan.FromMinutes(5)));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(alertId, body.RootElement.GetProperty("alert_id").GetGuid());
        Assert.Equal(("ambulance-service", "partner", 2), (body.RootElement.GetProperty("recipient").GetString(), body.RootElement.GetProperty("recipient_kind").GetString(), body.RootElement.GetProperty("step").GetInt32()));
        Assert.Equal(["nurse1", "nurse2", "lead", "ambulance-service", "nurse1"], await harness.EscalatedToAsync(alertId));
        var sent = (await harness.EventsAsync(alertId)).Single(e => e.Type == AlertEventType.NotificationSent && e.Event.Subject == "ambulance-service");
        Assert.Equal("webhook to ambulance: delivered (webhook 200), pass 1, 1 attempt(s)", sent.Event.Reason);
    }

    private static async Task SetRotaAsync(EscalationHarness harness, object[]? partners = null)
    {
        var response = await harness.PutRotaAsync(new
        {
            teamLead = "lead",
            teamLeadContact = new { email = harness.Email("lead") },
            entries = harness.Shifts("nurse1", "nurse2"),
            partners = partners ?? [],
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
