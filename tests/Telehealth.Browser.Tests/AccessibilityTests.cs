using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// Every page of the workspace passes axe-core with no violation and fits a phone (390 px), a tablet (768 px) and a
/// laptop (1280 px) without sideways scrolling; the workspace can be worked by keyboard alone. Saves the pictures the
/// README shows (docs/screenshots/).
/// </summary>
public sealed class AccessibilityTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task Every_page_has_no_axe_violations_and_no_sideways_scrolling_at_phone_tablet_and_laptop_widths()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await Workspace.CreatePersonAsync(staff, "Ada Testwell", "9434765919", "1941-03-12");
        var bertId = await Workspace.CreatePersonAsync(staff, "Bert Pendleton", "4010232137", "1950-07-01");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId);
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, bertId, "pendant_alarm");
        await using (var device = await MqttDevice.ConnectAsync(platform, oximeter.DeviceId, oximeter.Secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86,"t":-3600},{"n":"heart_rate","u":"beat/min","v":104,"t":-3600},{"n":"spo2","u":"%","v":93}]""");
            await device.PublishStatusAsync("""{"battery":64}""");
        }
        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var problems = new List<string>();

        foreach (var (width, height, suffix) in new[] { (390, 844, "-phone"), (768, 1024, "-tablet"), (1280, 800, "") })
        {
            await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress, width, height);
            var page = dashboard.Page;
            await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
            await CheckAsync(page, $"sign-in at {width}px", problems);
            if (width == 1280)
            {
                await Workspace.ScreenshotAsync(page, "sign-in");
            }

            await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, adaId);
            await Assertions.Expect(dashboard.Entries).ToHaveCountAsync(2);
            await dashboard.EntryFor("Ada Testwell").Locator("summary").First.ClickAsync(); // the open assign/resolve forms too
            await CheckAsync(page, $"live queue at {width}px", problems);
            if (width != 768)
            {
                await Workspace.ScreenshotAsync(page, "live-queue" + suffix);
            }

            await page.Locator("#nav a[data-route=people]").ClickAsync();
            await Assertions.Expect(page.Locator("#people li")).ToHaveCountAsync(2);
            await CheckAsync(page, $"people at {width}px", problems);

            await page.Locator($"#people li[data-patient-id='{adaId}'] a").ClickAsync();
            await Assertions.Expect(page.Locator($"#person-page[data-loaded='{adaId}:week']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
            await CheckAsync(page, $"person at {width}px", problems);
            if (width != 768)
            {
                await Workspace.ScreenshotAsync(page, "person" + suffix);
            }
            Assert.Empty(dashboard.PolicyViolations);
            if (width == 1280)
            {
                // The engine is really judging: an input without a label is reported.
                await page.EvaluateAsync("() => document.getElementById('person-page').append(document.createElement('input'))");
                Assert.Contains(await Workspace.AxeViolationsAsync(page), v => v.StartsWith("label (critical)", StringComparison.Ordinal));
            }
        }

        Assert.Empty(problems);
    }

    private static async Task CheckAsync(IPage page, string where, List<string> problems)
    {
        problems.AddRange((await Workspace.AxeViolationsAsync(page)).Select(v => $"{where}: {v}"));
        if (!await Workspace.FitsWidthAsync(page))
        {
            var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
            problems.Add($"{where}: scrolls sideways ({widths[0]} px of content in {widths[1]} px)");
        }
    }

    [Fact]
    public async Task A_critical_alert_can_be_found_and_acknowledged_with_the_keyboard_alone()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var bertId = await Workspace.CreatePersonAsync(staff, "Bert Pendleton", "4010232137", "1950-07-01");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, bertId, "pendant_alarm");
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;

        // Sign in by keyboard: the skip link comes first, then the form in order.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("skip-link", await page.EvaluateAsync<string>("() => document.activeElement.className"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("username", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.TypeAsync(TelehealthPlatform.AdminUsername);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(platform.AdminPassword);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#live-status[data-state=live]")).ToBeVisibleAsync(new() { Timeout = DashboardPage.LiveTimeoutMs });
        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var alert = dashboard.AlertFor("Bert Pendleton");
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-status", "open", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#announcer")).ToHaveTextAsync($"New critical alert for Bert Pendleton: Pendant alarm pressed (device {pendant.DeviceId})");

        // Tab forward (a bounded number of times) to the alert's Acknowledge button, then press Enter.
        var reached = false;
        for (var step = 0; step < 30 && !reached; step++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<bool>("() => document.activeElement.matches('#queue button.acknowledge')");
        }
        Assert.True(reached, "Acknowledge was not reachable by Tab");
        Assert.Equal("Pendant alarm pressed (device " + pendant.DeviceId + ")",
            await page.EvaluateAsync<string>("() => document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent"));
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(alert).ToHaveAttributeAsync("data-status", "acknowledged", new() { Timeout = DashboardPage.LiveTimeoutMs });
        Assert.Empty(dashboard.PolicyViolations);
    }
}
