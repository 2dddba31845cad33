using System.Net.Http.Json;
using Microsoft.Playwright;
using Telehealth.CareRecord.Staff;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// The telephone follow-up worklist as telephone support staff use it: the flag with the person's identity, phones
/// and contacts and a call guide; a call recorded from the page counts as an attempt and a retry is scheduled.
/// </summary>
public sealed class WorklistTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_call_handler_sees_whom_to_call_and_records_an_unanswered_call_which_schedules_a_retry()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Cal Worklist", "9434765870", "1950-06-01");
        (await admin.PutAsJsonAsync($"/api/patients/{personId}/contacts", new
        {
            phones = new[] { new { label = "home", number = "01632 960001" } },
            contacts = new[] { new { name = "Dee Carer", relationship = "carer", phone = "07700 900123" } },
        })).EnsureSuccessStatusCode();
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(admin, personId);
        await using (var device = await MqttDevice.ConnectAsync(platform, oximeter.DeviceId, oximeter.Secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":84}]""");
        }
        await platform.SettledAsync();
        var (handler, password) = await Workspace.AddStaffAsync(platform, "call-handler-1", StaffRoles.TelephoneSupport);

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(handler, password, personId);
        var page = dashboard.Page;
        await page.Locator("#nav a[data-route=worklist]").ClickAsync();

        var items = page.Locator("#worklist li.work-item");
        var threshold = items.Filter(new LocatorFilterOptions { HasTextString = "SpO2 84" });
        await Assertions.Expect(threshold).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(threshold.Locator("h2")).ToContainTextAsync("Cal Worklist");
        await Assertions.Expect(threshold.Locator("h2 .identity")).ToContainTextAsync("943 476 5870");
        await Assertions.Expect(threshold.Locator(".phones a")).ToHaveTextAsync(["01632 960001", "07700 900123"]);
        await Assertions.Expect(threshold.Locator(".phones")).ToContainTextAsync("Dee Carer (carer)");
        await Assertions.Expect(threshold.Locator(".attempts")).ToHaveTextAsync("Calls made: 0");
        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        Assert.True(await Workspace.FitsWidthAsync(page));
        await Workspace.ScreenshotAsync(page, "worklist");

        await threshold.Locator("input[value=no_answer]").CheckAsync();
        await threshold.Locator("textarea").FillAsync("Rang twice");
        await threshold.Locator("button[type=submit]").ClickAsync();

        await Assertions.Expect(threshold.Locator(".attempts")).ToHaveTextAsync("Calls made: 1", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(threshold.Locator(".calls li")).ToHaveCountAsync(1);
        await Assertions.Expect(threshold.Locator(".calls li")).ToContainTextAsync("by call-handler-1: no answer");
        await Assertions.Expect(threshold.Locator(".due")).ToContainTextAsync("Next call due");
        var alert = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/alerts?patientId={personId}");
        var recorded = alert.EnumerateArray().Single(a => a.GetProperty("condition").GetString() == "threshold:spo2");
        Assert.Equal(1, recorded.GetProperty("callAttempts").GetInt32());
    }
}
