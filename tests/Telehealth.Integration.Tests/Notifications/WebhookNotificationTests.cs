using System.Text.Json;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Outbox;
using Telehealth.Notifications.Webhooks;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Notifications;

/// <summary>Signed webhooks to a real HTTP receiver with injected faults, via the outbox and its worker.</summary>
[Trait("Hazard", "H19")]
public sealed class WebhookNotificationTests : IAsyncLifetime
{
    private WebhookTestReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookTestReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task The_body_is_signed_with_the_targets_secret_and_carries_ids_not_values()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["gp", "sms"]);
        var notification = NotificationHarness.Notification("gp-practice-1");
        await harness.EnqueueAsync(Hook(notification, "gp"));

        var delivery = Assert.Single(await harness.Recorder.WaitForFinalAsync(1));
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal((NotificationOutcome.Delivered, 200, 1), (delivery.Outcome, delivery.StatusCode, delivery.Attempts));
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal(notification.Id.ToString(), request.Delivery);
        var now = DateTimeOffset.UtcNow;
        Assert.True(WebhookSignature.Verify(NotificationHarness.Secret + "gp", request.Timestamp, request.Signature, request.Body, now, TimeSpan.FromMinutes(5)));
        // Another target's secret, a changed body, or a replay outside the window does not verify.
        Assert.False(WebhookSignature.Verify(NotificationHarness.Secret + "sms", request.Timestamp, request.Signature, request.Body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(NotificationHarness.Secret + "gp", request.Timestamp, request.Signature, [.. request.Body, (byte)' '], now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(NotificationHarness.Secret + "gp", request.Timestamp, request.Signature, request.Body, now.AddMinutes(6), TimeSpan.FromMinutes(5)));

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(
            ["version", "type", "notification_id", "alert_id", "incident_id", "patient_ref", "team_id", "severity", "condition", "code",
             "recipient", "recipient_kind", "step", "reason", "raised_at", "respond_by", "alert_url", "created_at"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(notification.AlertId, root.GetProperty("alert_id").GetGuid());
        Assert.Equal("critical", root.GetProperty("severity").GetString());
        Assert.Equal("pat-0001", root.GetProperty("patient_ref").GetString());
    }

    [Fact]
    public async Task Server_errors_are_retried_within_the_send_until_delivered()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["sms"], retries: 3);
        _receiver.FailNext("sms", 2, WebhookTestFault.Status(500));
        await harness.EnqueueAsync(Hook(NotificationHarness.Notification("nurse1"), "sms"));

        var delivery = Assert.Single(await harness.Recorder.WaitForFinalAsync(1));
        Assert.Equal((NotificationOutcome.Delivered, 1, 3), (delivery.Outcome, delivery.Pass, delivery.Attempts));
        Assert.Equal([500, 500, 200], _receiver.Requests.Select(r => r.AnsweredWith));
        // Each attempt is signed afresh and carries the same delivery id.
        Assert.Single(_receiver.Requests.Select(r => r.Delivery).Distinct());
    }

    [Fact]
    public async Task Too_many_requests_waits_as_long_as_Retry_After_asks()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["sms"], retries: 2);
        _receiver.FailNext("sms", 1, WebhookTestFault.Status(429, retryAfterSeconds: 1));
        await harness.EnqueueAsync(Hook(NotificationHarness.Notification("nurse1"), "sms"));

        var delivery = Assert.Single(await harness.Recorder.WaitForFinalAsync(1));
        Assert.Equal((NotificationOutcome.Delivered, 2), (delivery.Outcome, delivery.Attempts));
        var requests = _receiver.Requests;
        Assert.Equal([429, 200], requests.Select(r => r.AnsweredWith));
        // A lower bound, not a speed claim: our own back-off is 20 ms here, so a gap of a second can only be Retry-After.
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(900), $"gap {requests[1].ReceivedAt - requests[0].ReceivedAt}");
    }

    [Fact]
    public async Task A_receiver_that_hangs_is_timed_out_and_tried_again()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["sms"], retries: 1, requestTimeout: TimeSpan.FromMilliseconds(300));
        _receiver.FailNext("sms", 1, WebhookTestFault.Timeout(TimeSpan.FromSeconds(30)));
        await harness.EnqueueAsync(Hook(NotificationHarness.Notification("nurse1"), "sms"));

        var delivery = Assert.Single(await harness.Recorder.WaitForFinalAsync(1));
        Assert.Equal((NotificationOutcome.Delivered, 2), (delivery.Outcome, delivery.Attempts));
        Assert.Equal([0, 200], _receiver.Requests.Select(r => r.AnsweredWith));
    }

    [Fact]
    public async Task A_client_error_is_a_failure_recorded_with_the_answer_and_not_retried()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["gp"], retries: 3);
        _receiver.FailNext("gp", 1, WebhookTestFault.Status(400));
        var refused = NotificationHarness.Notification("gp-practice-1", step: 2);
        var next = NotificationHarness.Notification("gp-practice-1", step: 3);
        await harness.EnqueueAsync(Hook(refused, "gp"), Hook(next, "gp"));

        var deliveries = await harness.Recorder.WaitForFinalAsync(2);
        Assert.Equal(2, deliveries.Count);
        Assert.Equal((NotificationOutcome.Rejected, true, 1, 400), (deliveries[0].Outcome, deliveries[0].Final, deliveries[0].Attempts, deliveries[0].StatusCode));
        Assert.Equal("HTTP 400: {\"error\":\"injected 400\"}", deliveries[0].Error);
        Assert.Equal("webhook to gp: rejected (webhook 400), pass 1, 1 attempt(s): HTTP 400: {\"error\":\"injected 400\"}", deliveries[0].Describe());
        Assert.Equal(NotificationOutcome.Delivered, deliveries[1].Outcome);
        Assert.Equal([400, 200], _receiver.Requests.Select(r => r.AnsweredWith));
        var failed = Assert.Single(await harness.Outbox.ListAsync(NotificationStatus.Failed, 10));
        Assert.Equal((refused.Key, 400), (failed.Notification.Key, failed.LastStatusCode));
    }

    [Fact]
    public async Task A_target_waiting_for_a_retry_keeps_its_order_while_other_targets_go_on()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["gp", "sms"], retries: 0, maxPasses: 3);
        _receiver.FailNext("gp", 1, WebhookTestFault.Status(503));
        var (gp1, gp2, sms1) = (NotificationHarness.Notification("gp", step: 1), NotificationHarness.Notification("gp", step: 2), NotificationHarness.Notification("nurse", step: 1));
        await harness.EnqueueAsync(Hook(gp1, "gp"), Hook(gp2, "gp"), Hook(sms1, "sms"));

        var deliveries = await harness.Recorder.WaitForFinalAsync(3);
        var accepted = _receiver.Requests.Where(r => r.Accepted).ToList();
        Assert.Equal([gp1.Id.ToString(), gp2.Id.ToString()], accepted.Where(r => r.Target == "gp").Select(r => r.Delivery));
        Assert.Equal(4, _receiver.Requests.Count);
        var gpFirst = deliveries.Where(d => d.Notification.Key == gp1.Key).ToList();
        Assert.Equal([(NotificationOutcome.Transient, 1), (NotificationOutcome.Delivered, 2)], gpFirst.Select(d => (d.Outcome, d.Pass)));
        // sms was not held back by gp's retry: it was delivered before gp's second pass.
        Assert.True(_receiver.Requests.Single(r => r.Target == "sms").Arrival < accepted.First(r => r.Target == "gp").Arrival);
    }

    [Fact]
    public async Task A_target_that_keeps_failing_is_given_up_after_the_last_pass_and_says_so()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["sms"], retries: 1, maxPasses: 2);
        _receiver.FailNext("sms", 10, WebhookTestFault.Status(502));
        await harness.EnqueueAsync(Hook(NotificationHarness.Notification("nurse1"), "sms"));

        var deliveries = await harness.Recorder.WaitForFinalAsync(1);
        Assert.Equal([(NotificationOutcome.Transient, false, 1, 2), (NotificationOutcome.Transient, true, 2, 2)], deliveries.Select(d => (d.Outcome, d.Final, d.Pass, d.Attempts)));
        Assert.StartsWith("webhook to sms: not delivered, given up (webhook 502), pass 2, 2 attempt(s)", deliveries[1].Describe(), StringComparison.Ordinal);
        Assert.Equal(4, _receiver.Requests.Count);
        var entry = Assert.Single(await harness.Outbox.ListAsync(NotificationStatus.Failed, 10));
        Assert.Equal((2, 4), (entry.Passes, entry.Attempts));
    }

    [Fact]
    public async Task An_unknown_target_is_a_failure_not_a_silence()
    {
        await using var harness = await NotificationHarness.StartAsync(receiver: _receiver, webhookTargets: ["sms"]);
        await harness.EnqueueAsync(Hook(NotificationHarness.Notification("nurse1"), "pager"));

        var delivery = Assert.Single(await harness.Recorder.WaitForFinalAsync(1));
        Assert.Equal((NotificationOutcome.Rejected, "unknown_webhook_target", 0), (delivery.Outcome, delivery.Error, delivery.Attempts));
        Assert.Empty(_receiver.Requests);
    }

    private static NotificationRequest Hook(Notification notification, string target) => new(notification, NotificationChannels.Webhook, target);
}
