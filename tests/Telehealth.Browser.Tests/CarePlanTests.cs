using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// Goals and care plan on the person page: a clinician edits a goal and adds an activity, each with a reason; the
/// timeline then shows the change next to a recorded call; telephone support sees the plan read-only; the page passes
/// axe-core with the edit forms open at phone, tablet and laptop widths.
/// </summary>
public sealed class CarePlanTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_clinician_edits_a_goal_with_a_reason_and_the_timeline_shows_it_beside_a_recorded_call()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await Workspace.CreatePersonAsync(staff, "Ada Testwell", "9434765919", "1941-03-12");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId, "pendant_alarm");
        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var (nurse, nursePassword) = await Workspace.AddStaffAsync(platform, "care-plan-nurse");
        var (phone, phonePassword) = await Workspace.AddStaffAsync(platform, "care-plan-phone", "telephone_support");
        var target = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var nurseApi = await platform.CreateStaffClientAsync("care-plan-nurse-api", "clinician", Workspace.Team))
        {
            (await nurseApi.PostAsJsonAsync($"/api/patients/{adaId}/care-plan/goals", new
            {
                description = "Walk to the shop with a frame", targetMeasure = "Walks 200 m with a frame", targetDate = target, status = "active", reason = "Agreed at the home visit",
            })).EnsureSuccessStatusCode();
        }
        using (var phoneApi = await platform.CreateStaffClientAsync("care-plan-phone-api", "telephone_support", Workspace.Team))
        {
            using var alerts = JsonDocument.Parse(await phoneApi.GetStringAsync($"/api/alerts?patientId={adaId}"));
            var alertId = alerts.RootElement[0].GetProperty("id").GetString();
            (await phoneApi.PostAsJsonAsync($"/api/alerts/{alertId}/calls", new { outcome = "reached", actions = new[] { "advice_given" }, notes = "Pressed by mistake" }))
                .EnsureSuccessStatusCode();
        }

        await using (var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress))
        {
            var page = dashboard.Page;
            await OpenPersonAsync(dashboard, nurse, nursePassword, adaId);
            var goal = page.Locator("#goals li.goal");
            await Assertions.Expect(goal).ToHaveCountAsync(1);
            // The date as the browser writes it for en-GB (e.g. "25 Dec 2026"; September is "Sept").
            await Assertions.Expect(goal.Locator(".goal-meta")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
                $"^Active · target: Walks 200 m with a frame · by {int.Parse(target[8..], CultureInfo.InvariantCulture)} [A-Z][a-z]{{2,3}} {target[..4]}$"));

            // Edit: the reason is required before anything is sent.
            await goal.Locator("button.edit-goal").ClickAsync();
            await Assertions.Expect(page.Locator("#goal-form-legend")).ToHaveTextAsync("Edit goal: Walk to the shop with a frame");
            await page.Locator("#goal-status").SelectOptionAsync("achieved");
            await page.Locator("#goal-save").ClickAsync();
            await Assertions.Expect(page.Locator("#goal-error")).ToHaveTextAsync("A reason is required: the change is part of the person's record.");
            await page.Locator("#goal-reason").FillAsync("Walked to the shop on the visit");
            await page.Locator("#goal-save").ClickAsync();
            await Assertions.Expect(page.Locator("#care-plan-status")).ToHaveTextAsync("Goal saved.");
            await Assertions.Expect(goal).ToHaveAttributeAsync("data-status", "achieved");
            await Assertions.Expect(goal.Locator(".goal-change")).ToContainTextAsync("Version 2, ");
            await Assertions.Expect(goal.Locator(".goal-change")).ToContainTextAsync("by care-plan-nurse: Walked to the shop on the visit");

            // An activity, with who does it.
            await page.Locator("#activity-description").FillAsync("Blood pressure");
            await page.Locator("#activity-schedule").FillAsync("every morning");
            await page.Locator("#activity-performer").FillAsync("the person");
            await page.Locator("#activity-reason").FillAsync("Watch BP after the fall");
            await page.Locator("#activity-save").ClickAsync();
            await Assertions.Expect(page.Locator("#activities li.activity")).ToHaveTextAsync(["Blood pressure · every morning · the personRemove"]);
            await Assertions.Expect(page.Locator("#care-plan-meta")).ToContainTextAsync("Version 3, last changed ");

            // The timeline: both changes, the call with its outcome and action, next to the alert.
            var timeline = page.Locator("#timeline li.timeline-item");
            await Assertions.Expect(timeline.And(page.Locator("[data-kind=care_plan]")).Locator(".timeline-text")).ToHaveTextAsync(
            [
                "Care plan activities: added Blood pressure (every morning, the person). Reason: Watch BP after the fall",
                "Goal Walk to the shop with a frame: status active → achieved. Reason: Walked to the shop on the visit",
                $"Goal added: Walk to the shop with a frame (active, target: Walks 200 m with a frame, by {target}). Reason: Agreed at the home visit",
            ]);
            await Assertions.Expect(timeline.And(page.Locator("[data-kind=call]")).Locator(".timeline-text")).ToHaveTextAsync(
                [$"Call 1 about Pendant alarm pressed (device {pendant.DeviceId}): reached; advice given. Notes: Pressed by mistake"]);
            await Assertions.Expect(timeline.And(page.Locator("[data-kind=call]")).Locator(".timeline-actor")).ToHaveTextAsync([" — care-plan-phone-api"]);
            await Assertions.Expect(timeline.And(page.Locator("[data-kind=alert_event][data-type=raised]"))).ToHaveCountAsync(1);
            Assert.Empty(dashboard.PolicyViolations);
        }

        // Telephone support reads the plan and cannot change it.
        await using (var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress))
        {
            await OpenPersonAsync(dashboard, phone, phonePassword, adaId);
            await Assertions.Expect(dashboard.Page.Locator("#goals li.goal")).ToHaveAttributeAsync("data-status", "achieved");
            await Assertions.Expect(dashboard.Page.Locator("#care-plan-readonly")).ToBeVisibleAsync();
            await Assertions.Expect(dashboard.Page.Locator("#care-plan-forms")).ToBeHiddenAsync();
            await Assertions.Expect(dashboard.Page.Locator("#care-plan li button")).ToHaveCountAsync(0); // no Edit or Remove
        }

        // With the forms open (a goal being edited), the page passes axe and fits each width.
        var problems = new List<string>();
        foreach (var (width, height, suffix) in new[] { (390, 844, "-phone"), (768, 1024, "-tablet"), (1280, 800, "") })
        {
            await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress, width, height);
            var page = dashboard.Page;
            await OpenPersonAsync(dashboard, nurse, nursePassword, adaId);
            await page.Locator("#goals button.edit-goal").ClickAsync();
            await page.Locator("#goal-reason").FillAsync("Reviewing the goal");
            problems.AddRange((await Workspace.AxeViolationsAsync(page)).Select(v => $"{width}px: {v}"));
            if (!await Workspace.FitsWidthAsync(page))
            {
                problems.Add($"{width}px: scrolls sideways");
            }
            if (width != 768)
            {
                await page.Locator("#care-plan").ScrollIntoViewIfNeededAsync();
                await Workspace.ScreenshotAsync(page, "person-care-plan" + suffix);
            }
        }
        Assert.Empty(problems);
    }

    private static async Task OpenPersonAsync(DashboardPage dashboard, string username, string password, string patientId)
    {
        await dashboard.SignInAsync(username, password, patientId);
        await dashboard.Page.EvaluateAsync("id => { location.hash = '#/person/' + encodeURIComponent(id); }", patientId);
        await Assertions.Expect(dashboard.Page.Locator($"#person-page[data-loaded='{patientId}:week']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
    }
}
