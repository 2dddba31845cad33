using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Outbox;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Notifications;

/// <summary>Email notifications through MailKit to a real SMTP server (aiosmtpd), via the outbox and its worker.</summary>
[Trait("Hazard", "H19")]
public sealed class EmailNotificationTests(SmtpTestServer smtp) : IClassFixture<SmtpTestServer>
{
    [Fact]
    public async Task Each_notification_arrives_once_to_its_recipient_with_no_values_in_the_subject()
    {
        await using var harness = await NotificationHarness.StartAsync(smtp);
        var (first, second) = (Unique("nurse1"), Unique("nurse2"));
        var alert = Guid.NewGuid();
        var a = NotificationHarness.Notification(first, step: 0, alertId: alert);
        var b = NotificationHarness.Notification(second, step: 1, alertId: alert);
        var c = NotificationHarness.Notification(first, step: 3, alertId: alert);
        Assert.Equal(3, await harness.EnqueueAsync(Email(a, first), Email(b, second), Email(c, first)));
        // Queueing the same step again (a replayed log) adds nothing.
        Assert.Equal(0, await harness.EnqueueAsync(Email(a, first)));

        var deliveries = await harness.Recorder.WaitForFinalAsync(3);
        var mails = Mine(await smtp.WaitForMessagesAsync(0), first, second);

        Assert.Equal(3, mails.Count);
        Assert.Equal([first, second, first], mails.Select(m => Assert.Single(m.Recipients)));
        Assert.All(mails, m => Assert.Equal("alerts@telehealth.test", m.MailFrom));
        Assert.Equal([$"{a.Id:N}@telehealth.invalid", $"{b.Id:N}@telehealth.invalid", $"{c.Id:N}@telehealth.invalid"], mails.Select(m => m.Message.MessageId));
        var mail = mails[0].Message;
        Assert.Equal($"[Telehealth] Critical alert (news2): respond by 09:30 UTC [ref {alert.ToString("N")[..8]}]", mail.Subject);
        Assert.Contains($"Open it: https://telehealth.test/?alert={alert}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Patient reference: pat-0001 (team team-a)", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(3, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal((NotificationOutcome.Delivered, true, 1, 1, (int?)250), (d.Outcome, d.Final, d.Pass, d.Attempts, d.StatusCode)));
        Assert.Equal($"email to {first}: delivered (email 250), pass 1, 1 attempt(s)", deliveries.First(d => d.Notification.Key == a.Key).Describe());
        Assert.All(await harness.Outbox.ForAlertAsync(alert), e => Assert.Equal((NotificationStatus.Sent, 1, 1), (e.Status, e.Passes, e.RecordedPasses)));
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried_within_the_send()
    {
        await using var harness = await NotificationHarness.StartAsync(smtp, retries: 2);
        var to = Unique("nurse");
        await smtp.TemporarilyFailNextAsync(2);
        await harness.EnqueueAsync(Email(NotificationHarness.Notification(to), to));

        var delivery = Assert.Single(await harness.Recorder.WaitForFinalAsync(1));
        Assert.Equal((NotificationOutcome.Delivered, 1, 3), (delivery.Outcome, delivery.Pass, delivery.Attempts));
        Assert.Single(Mine(smtp.Messages(), to));
    }

    [Fact]
    public async Task A_temporary_refusal_beyond_the_retries_is_recorded_and_the_next_pass_delivers()
    {
        await using var harness = await NotificationHarness.StartAsync(smtp, retries: 0, maxPasses: 3);
        var to = Unique("nurse");
        await smtp.TemporarilyFailNextAsync(1);
        await harness.EnqueueAsync(Email(NotificationHarness.Notification(to), to));

        var deliveries = await harness.Recorder.WaitForFinalAsync(1);
        Assert.Equal(2, deliveries.Count);
        Assert.Equal((NotificationOutcome.Transient, false, 1, 451), (deliveries[0].Outcome, deliveries[0].Final, deliveries[0].Pass, deliveries[0].StatusCode));
        Assert.NotNull(deliveries[0].RetryAt);
        Assert.Equal((NotificationOutcome.Delivered, true, 2), (deliveries[1].Outcome, deliveries[1].Final, deliveries[1].Pass));
        Assert.Single(Mine(smtp.Messages(), to));
    }

    [Fact]
    public async Task A_refused_mailbox_is_a_failure_kept_with_the_answer_and_others_still_get_theirs()
    {
        await using var harness = await NotificationHarness.StartAsync(smtp);
        var (refused, fine) = (Unique("gone"), Unique("nurse"));
        await smtp.RejectRecipientsAsync(refused);
        var bad = NotificationHarness.Notification(refused);
        await harness.EnqueueAsync(Email(bad, refused), Email(NotificationHarness.Notification(fine), fine));

        var deliveries = await harness.Recorder.WaitForFinalAsync(2);
        var failed = deliveries.Single(d => d.Address == refused);
        Assert.Equal((NotificationOutcome.Rejected, true, 1, 550), (failed.Outcome, failed.Final, failed.Attempts, failed.StatusCode));
        Assert.Contains("RecipientNotAccepted", failed.Error, StringComparison.Ordinal);
        Assert.Equal(NotificationOutcome.Delivered, deliveries.Single(d => d.Address == fine).Outcome);
        var entry = Assert.Single(await harness.Outbox.ForAlertAsync(bad.AlertId));
        Assert.Equal((NotificationStatus.Failed, 550), (entry.Status, entry.LastStatusCode));
        Assert.Empty(Mine(smtp.Messages(), refused));
        Assert.Single(Mine(smtp.Messages(), fine));
        await smtp.RejectRecipientsAsync();
    }

    private static NotificationRequest Email(Notification notification, string to) => new(notification, NotificationChannels.Email, to);

    private static string Unique(string who) => $"{who}.{Guid.NewGuid():N}@trust.test";

    private static List<ReceivedMail> Mine(IEnumerable<ReceivedMail> mails, params string[] recipients) =>
        mails.Where(m => m.Recipients.Any(recipients.Contains)).ToList();
}
