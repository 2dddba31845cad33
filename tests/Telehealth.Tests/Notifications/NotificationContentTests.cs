using System.Text;
using Telehealth.CareRecord;
using Telehealth.Notifications.Channels;

namespace Telehealth.Tests.Notifications;

/// <summary>What leaves the platform: ids, severity, condition, deadlines and a link; never a value, a name or an NHS number.</summary>
public sealed class NotificationContentTests
{
    private static readonly Guid AlertId = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301");

    private static Notification Sample() => new(
        "escalation:42", AlertId, Guid.Parse("9a0c3f25-4f89-11d3-9a0c-0305e82c3301"), "pat-7k2m", "team-a", AlertSeverity.High, "vital:spo2",
        "spo2_low", "nurse1", "staff", 1, "Not acknowledged by 10:00 UTC (step 1): next on the duty rota notified",
        new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero),
        new Uri($"https://telehealth.test/?alert={AlertId}"), new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public void The_subject_names_severity_condition_deadline_and_reference_only() =>
        Assert.Equal("[Telehealth] High alert (vital:spo2): respond by 10:00 UTC [ref 3f2504e0]", NotificationContent.EmailSubject(Sample()));

    [Fact]
    public void The_body_gives_what_is_needed_to_act_and_the_link()
    {
        var body = NotificationContent.EmailBody(Sample());
        Assert.Contains("Why you: Not acknowledged by 10:00 UTC (step 1): next on the duty rota notified", body, StringComparison.Ordinal);
        Assert.Contains("Condition: vital:spo2 (spo2_low)", body, StringComparison.Ordinal);
        Assert.Contains("Patient reference: pat-7k2m (team team-a)", body, StringComparison.Ordinal);
        Assert.Contains("Respond by: 2026-11-25 10:00 UTC", body, StringComparison.Ordinal);
        Assert.Contains($"Open it: https://telehealth.test/?alert={AlertId}", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_body_is_stable_snake_case_json()
    {
        var json = Encoding.UTF8.GetString(NotificationContent.WebhookBody(Sample()));
        Assert.Equal(
            $$"""{"version":1,"type":"alert.escalation","notification_id":"{{Sample().Id}}","alert_id":"{{AlertId}}","incident_id":"9a0c3f25-4f89-11d3-9a0c-0305e82c3301","patient_ref":"pat-7k2m","team_id":"team-a","severity":"high","condition":"vital:spo2","code":"spo2_low","recipient":"nurse1","recipient_kind":"staff","step":1,"reason":"Not acknowledged by 10:00 UTC (step 1): next on the duty rota notified","raised_at":"2026-11-25T09:00:00+00:00","respond_by":"2026-11-25T10:00:00+00:00","alert_url":"https://telehealth.test/?alert={{AlertId}}","created_at":"2026-11-25T10:00:00+00:00"}""",
            json);
    }

    [Fact]
    public void The_same_key_gives_the_same_id_and_another_key_another()
    {
        Assert.Equal(NotificationIds.FromKey("escalation:42"), Sample().Id);
        Assert.NotEqual(NotificationIds.FromKey("escalation:43"), Sample().Id);
    }
}
