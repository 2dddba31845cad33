using System.Net.Http.Json;
using Microsoft.Playwright;
using Telehealth.Clinician.Web.Api;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// A reading from a home device becomes a red flag on an open dashboard without a reload, and a clinician can
/// take ownership of it there.
/// </summary>
public sealed class DashboardShowsLiveAlertTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    private const string PatientName = "Ada Testwell";
    private const string ThresholdReason = "SpO2 86 % below default critical low 91 %";
    private const string News2Reason =
        "NEWS2 3 (low-medium risk: a single parameter scored 3): SpO2 3; partial: missing respiration rate, systolic BP, pulse, consciousness, temperature";

    [Fact]
    public async Task Low_spo2_reading_appears_live_and_can_be_acknowledged()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, PatientName);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, patientId);
        await Assertions.Expect(dashboard.AlertFor(PatientName)).ToHaveCountAsync(0);
        await Assertions.Expect(dashboard.AlertCount).ToHaveTextAsync("0");
        // A live update must not come from a reload: a reload would drop this and fire another load event.
        await dashboard.Page.EvaluateAsync("() => { window.__marker = 42; }");
        Assert.Equal(1, dashboard.LoadCount);

        await using (var oximeter = await MqttDevice.ConnectAsync(platform, deviceId, secret))
        {
            // 86 % is below the default critical low of 91 %.
            await oximeter.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        }

        var alert = dashboard.AlertFor(PatientName).And(dashboard.Page.Locator("[data-severity=critical]"));
        await Assertions.Expect(alert).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(alert.Locator(".reason")).ToHaveTextAsync(ThresholdReason);
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-status", "open");
        Assert.Equal(42, await dashboard.Page.EvaluateAsync<int>("() => window.__marker"));
        Assert.Equal(1, dashboard.LoadCount);
        // The same reading also scores 3 for SpO2 on NEWS2 scale 1, which NEWS2 calls low-medium risk on its
        // own: a second, medium alert. Exactly these two, each once (no duplicate from the hub and the load).
        var news2 = dashboard.AlertFor(PatientName).And(dashboard.Page.Locator("[data-severity=medium]"));
        await Assertions.Expect(news2).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(news2.Locator(".reason")).ToHaveTextAsync(News2Reason);
        await Assertions.Expect(dashboard.Alerts).ToHaveCountAsync(2);
        await Assertions.Expect(dashboard.AlertCount).ToHaveTextAsync("2");
        await Assertions.Expect(dashboard.Alerts.First).ToHaveAttributeAsync("data-severity", "critical");

        await alert.Locator("button.acknowledge").ClickAsync();

        // The queue keeps an acknowledged alert in the person's entry while its condition lasts (no newer normal
        // reading here), marked acknowledged, with the button gone and who took it in the meta line.
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-status", "acknowledged", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(alert.Locator("button.acknowledge")).ToBeHiddenAsync();
        await Assertions.Expect(alert.Locator(".meta")).ToContainTextAsync("acknowledged by admin");
        await Assertions.Expect(dashboard.AlertCount).ToHaveTextAsync("2");
        // Within a person's entry open alerts sort above acknowledged ones, so the medium NEWS2 alert now leads.
        await Assertions.Expect(dashboard.Alerts.First).ToHaveAttributeAsync("data-severity", "medium");
        await Assertions.Expect(news2).ToHaveAttributeAsync("data-status", "open");

        var stored = (await staff.GetFromJsonAsync<AlertDto[]>("/api/alerts?status=all"))!;
        Assert.Equal(2, stored.Length);
        var acknowledged = Assert.Single(stored, a => a.Reason == ThresholdReason);
        Assert.Equal(patientId, acknowledged.PatientId);
        Assert.Equal("critical", acknowledged.Severity);
        Assert.Equal("acknowledged", acknowledged.Status);
        Assert.Equal(TelehealthPlatform.AdminUsername, acknowledged.AcknowledgedBy);
        Assert.Equal(acknowledged.Id.ToString(), await alert.GetAttributeAsync("data-alert-id"));
        var stillOpen = Assert.Single(stored, a => a.Reason == News2Reason);
        Assert.Equal(("medium", "open", (string?)null), (stillOpen.Severity, stillOpen.Status, stillOpen.AcknowledgedBy));
        Assert.Equal(42, await dashboard.Page.EvaluateAsync<int>("() => window.__marker"));
        Assert.Equal(1, dashboard.LoadCount);
        Assert.Empty(dashboard.PolicyViolations);
    }
}
