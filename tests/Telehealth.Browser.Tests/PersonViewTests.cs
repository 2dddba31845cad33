using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// The whole person in one view, opened from their name in the queue: identity, one timeline, trend charts with
/// their own thresholds, and their devices with battery, last heard and assignment history.
/// </summary>
public sealed class PersonViewTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_name_in_the_queue_opens_the_person_with_timeline_charts_thresholds_and_devices()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await Workspace.CreatePersonAsync(staff, "Ada Testwell", "9434765919", "1941-03-12");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId);
        var twoHoursAgo = (DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        await using (var device = await MqttDevice.ConnectAsync(platform, oximeter.DeviceId, oximeter.Secret))
        {
            // 95 % two hours ago; 90 % an hour later, below the default critical low of 91 %: a critical alert and a
            // NEWS2 one (SpO2 scores 3).
            await device.PublishReadingsAsync($$"""[{"bt":{{twoHoursAgo}},"n":"spo2","u":"%","v":95},{"n":"heart_rate","u":"beat/min","v":72},{"n":"spo2","u":"%","v":90,"t":3600}]""");
            await device.PublishStatusAsync("""{"battery":85}""");
        }
        // Thresholds and care settings are a clinician's (change_clinical_settings); the admin issued the device.
        using var clinician = await platform.CreateStaffClientAsync("person-view-clinician", "clinician");
        (await clinician.PutAsJsonAsync($"/api/patients/{adaId}/thresholds",
            new { thresholds = new[] { new { kind = "spo2", criticalLow = 88.0, low = 92.0 } } })).EnsureSuccessStatusCode();
        (await clinician.PutAsJsonAsync($"/api/patients/{adaId}/care-settings",
            new { news2Scale = 2, onSupplementalOxygen = true, reason = "Documented hypercapnic respiratory failure" })).EnsureSuccessStatusCode();

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, adaId);
        await Assertions.Expect(dashboard.AlertFor("Ada Testwell")).ToHaveCountAsync(2);
        await dashboard.EntryFor("Ada Testwell").Locator("a.who").ClickAsync();

        var page = dashboard.Page;
        await Assertions.Expect(page.Locator($"#person-page[data-loaded='{adaId}:week']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#person-name")).ToHaveTextAsync("Ada Testwell");
        await Assertions.Expect(page.Locator("#person-identity")).ToHaveTextAsync("NHS 943 476 5919 · born 12 Mar 1941 · NEWS2 scale 2");
        await Assertions.Expect(page).ToHaveTitleAsync("(1 critical) Ada Testwell — Telehealth");
        await Assertions.Expect(page.Locator("#person-alerts li.alert .severity")).ToHaveTextAsync(["critical", "medium"]);

        // One timeline: three readings, the two alerts raised, the care-setting change and the threshold change, and the
        // NEWS2 alert's update: the change of scale and oxygen re-scores NEWS2 at once (SpO2 90 % scores 0 on scale 2).
        var timeline = page.Locator("#timeline li.timeline-item");
        await Assertions.Expect(timeline.And(page.Locator("[data-kind=reading]"))).ToHaveCountAsync(3);
        await Assertions.Expect(timeline.And(page.Locator("[data-kind=alert_event]"))).ToHaveCountAsync(3);
        await Assertions.Expect(timeline.And(page.Locator("[data-kind=alert_event][data-type=raised]"))).ToHaveCountAsync(2);
        await Assertions.Expect(timeline.And(page.Locator("[data-kind=care_settings]"))).ToContainTextAsync("NEWS2 scale 2, on oxygen: Documented hypercapnic respiratory failure");
        await Assertions.Expect(timeline.And(page.Locator("[data-kind=thresholds]"))).ToContainTextAsync("Thresholds changed: spo2 91/94–none/none → 88/92–none/none");
        await Assertions.Expect(timeline).ToHaveCountAsync(8);
        await Assertions.Expect(timeline.Locator(".timeline-actor")).ToContainTextAsync(new[] { "— person-view-clinician" });

        // A chart per vital, shading the person's own thresholds.
        await Assertions.Expect(page.Locator("#charts figure.chart")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#charts figure.chart figcaption")).ToHaveTextAsync(["SpO₂ (%)", "Heart rate (beat/min)"]);
        // Each stretch of the week shaded with the limits then in force: the defaults the readings were judged
        // against (critical low 91: hence the critical alert at 90 %), then the clinician's new limits.
        var bands = await page.EvaluateAsync<double[][]>("""
            () => Chart.getChart(document.querySelector("figure[data-kind=spo2] canvas")).options.plugins.thresholdBands.periods
                    .map((p) => [p.threshold.criticalLow, p.threshold.low])
            """);
        Assert.Equal([[91.0, 94.0], [88.0, 92.0]], bands);
        await Assertions.Expect(page.Locator("figure[data-kind=spo2]")).ToHaveAttributeAsync("data-periods", "2");
        Assert.Equal(2, await page.EvaluateAsync<int>("() => Chart.getChart(document.querySelector('figure[data-kind=spo2] canvas')).data.datasets[0].data.length"));
        await Assertions.Expect(page.Locator("figure[data-kind=spo2] canvas")).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("^SpO₂: 2 readings, latest 90 %"));

        // Devices: type, battery, last heard and assignment history.
        var deviceItem = page.Locator($"#devices li.device[data-device-id='{oximeter.DeviceId}']");
        await Assertions.Expect(deviceItem.Locator(".device-head")).ToContainTextAsync("pulse oximeter");
        await Assertions.Expect(deviceItem.Locator(".device-meta")).ToContainTextAsync("battery 85 % · last heard ");
        await Assertions.Expect(deviceItem.Locator(".assignments li")).ToHaveCountAsync(1);
        await Assertions.Expect(deviceItem.Locator(".assignments li")).ToContainTextAsync("Ada Testwell: ? – now");

        await page.Locator(".range-button[data-range=month]").ClickAsync();
        await Assertions.Expect(page.Locator($"#person-page[data-loaded='{adaId}:month']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator(".range-button[data-range=month]")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("#charts figure.chart")).ToHaveCountAsync(2);
        await page.Locator(".range-button[data-range=day]").ClickAsync();
        await Assertions.Expect(page.Locator($"#person-page[data-loaded='{adaId}:day']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });

        // The same actions as in the queue, and the page follows live changes.
        await page.Locator("#person-alerts li.alert[data-severity=critical] button.acknowledge").ClickAsync();
        await Assertions.Expect(page.Locator("#person-alerts li.alert[data-severity=critical]")).ToHaveAttributeAsync("data-status", "acknowledged");
        await Assertions.Expect(page).ToHaveTitleAsync("Ada Testwell — Telehealth");
        Assert.Equal(1, dashboard.LoadCount);
        Assert.Empty(dashboard.PolicyViolations);
    }

    [Fact]
    public async Task A_notification_link_to_an_alert_opens_its_person_after_sign_in()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var bertId = await Workspace.CreatePersonAsync(staff, "Bert Pendleton", "4010232137", "1950-07-01");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, bertId, "pendant_alarm");
        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var alert = Assert.Single((await staff.GetFromJsonAsync<Telehealth.Clinician.Web.Api.AlertDto[]>("/api/alerts"))!);
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);

        await dashboard.Page.GotoAsync($"/?alert={alert.Id}");
        await dashboard.SubmitSignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword);

        await Assertions.Expect(dashboard.Page.Locator($"#person-page[data-loaded='{bertId}:week']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(dashboard.Page.Locator("#person-name")).ToHaveTextAsync("Bert Pendleton");
        Assert.EndsWith($"/#/person/{bertId}", dashboard.Page.Url, StringComparison.Ordinal);
        await Assertions.Expect(dashboard.Page.Locator("#person-alerts li.alert .reason")).ToHaveTextAsync([$"Pendant alarm pressed (device {pendant.DeviceId})"]);
        // The press itself and the alert it raised, on one timeline.
        await Assertions.Expect(dashboard.Page.Locator("#timeline li.timeline-item .timeline-text")).ToHaveTextAsync(
            [$"Pendant alarm pressed (device {pendant.DeviceId})", "Pendant press"]);
        Assert.Equal(["alert_event", "telecare_event"],
            await dashboard.Page.Locator("#timeline li.timeline-item").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.kind)"));
    }
}
