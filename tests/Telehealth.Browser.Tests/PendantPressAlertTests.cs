using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// A pendant press is someone asking for help now: it must land live, as critical, in an already busy queue.
/// Also saves a screenshot of the dashboard with alerts (dashboard.png beside the test assembly) for a person to look at.
/// </summary>
public sealed class PendantPressAlertTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task Pendant_press_appears_live_as_a_critical_entry_ordered_by_severity_then_time_waiting()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await TelehealthPlatform.CreatePatientAsync(staff, "Ada Testwell");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId, "pulse_oximeter");
        var bertId = await TelehealthPlatform.CreatePatientAsync(staff, "Bert Pendleton");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, bertId, "pendant_alarm");

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, bertId);
        await dashboard.Page.EvaluateAsync("() => { window.__marker = 42; }");

        await using (var device = await MqttDevice.ConnectAsync(platform, oximeter.DeviceId, oximeter.Secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        }
        // Ada's reading raises a critical threshold alert (below the critical low) and a medium NEWS2 one (SpO2 scores 3).
        await Assertions.Expect(dashboard.Alerts).ToHaveCountAsync(2, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(dashboard.Alerts.First).ToHaveAttributeAsync("data-severity", "critical");

        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }

        await Assertions.Expect(dashboard.Alerts).ToHaveCountAsync(3, new() { Timeout = DashboardPage.LiveTimeoutMs });
        var bert = dashboard.EntryFor("Bert Pendleton");
        await Assertions.Expect(bert).ToHaveAttributeAsync("data-severity", "critical");
        await Assertions.Expect(bert).ToHaveAttributeAsync("data-state", "open");
        await Assertions.Expect(bert.Locator("li.alert .reason")).ToHaveTextAsync([$"Pendant alarm pressed (device {pendant.DeviceId})"]);
        await Assertions.Expect(bert.Locator("li.alert .kind")).ToHaveTextAsync(["Telecare"]);
        // One entry per person, ordered by severity and then by time waiting: both lead with a critical, and Ada has
        // waited longer, so she stays first and the press is second; within Ada's entry the critical leads the medium.
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(["Ada Testwell", "Bert Pendleton"]);
        await Assertions.Expect(dashboard.Alerts.Locator(".severity")).ToHaveTextAsync(["critical", "medium", "critical"]);
        await Assertions.Expect(dashboard.AlertCount).ToHaveTextAsync("3");
        Assert.Equal(42, await dashboard.Page.EvaluateAsync<int>("() => window.__marker"));
        Assert.Equal(1, dashboard.LoadCount);

        // Animations disabled: the new-alert flash would otherwise tint the top item in the picture.
        await dashboard.Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(AppContext.BaseDirectory, "dashboard.png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }
}
