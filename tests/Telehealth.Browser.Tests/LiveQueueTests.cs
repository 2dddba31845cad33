using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telehealth.Clinician.Web.Api;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// The live queue as a shift works from it: one entry per person with identity, age and deadline; a new critical
/// gets attention; staff act on alerts and see each other's actions at once; live updates leave focus and scroll alone.
/// </summary>
public sealed partial class LiveQueueTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    // Records what the page asks of the browser's Notification and WebAudio APIs (the real ones still run).
    private const string AttentionProbe = """
        window.__notifications = [];
        window.__tones = 0;
        const RealNotification = window.Notification;
        window.Notification = class extends RealNotification {
          constructor(title, options) { window.__notifications.push(title); super(title, options); }
        };
        const createOscillator = AudioContext.prototype.createOscillator;
        AudioContext.prototype.createOscillator = function () { window.__tones++; return createOscillator.call(this); };
        """;

    [GeneratedRegex(@"^waiting \d+ s · respond within \d+ min$")]
    private static partial Regex FreshOpenMeta();

    [Fact]
    public async Task A_new_critical_sounds_notifies_and_titles_the_tab_and_the_entry_shows_identity_age_and_deadline()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await Workspace.CreatePersonAsync(staff, "Ada Testwell", "9434765919", "1941-03-12");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId);
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress, prepare: async context =>
        {
            await context.GrantPermissionsAsync(["notifications"]);
            await context.AddInitScriptAsync(AttentionProbe);
        });
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, adaId);
        await dashboard.Page.Locator("#desktop-alerts").ClickAsync();
        await Assertions.Expect(dashboard.Page.Locator("#desktop-alerts")).ToHaveTextAsync("Desktop alerts: on");
        await Assertions.Expect(dashboard.Page.Locator("#desktop-alerts")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(dashboard.Page).ToHaveTitleAsync("Live queue — Telehealth");

        await using (var device = await MqttDevice.ConnectAsync(platform, oximeter.DeviceId, oximeter.Secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        }

        var ada = dashboard.EntryFor("Ada Testwell");
        await Assertions.Expect(ada.Locator("li.alert")).ToHaveCountAsync(2, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(dashboard.Entries).ToHaveCountAsync(1);
        await Assertions.Expect(ada.Locator(".identity")).ToHaveTextAsync("NHS 943 476 5919 · born 12 Mar 1941");
        await Assertions.Expect(ada.Locator("li.alert .severity")).ToHaveTextAsync(["critical", "medium"]);
        await Assertions.Expect(ada.Locator("li.alert .kind")).ToHaveTextAsync(["Reading", "NEWS2"]);
        await Assertions.Expect(ada.Locator("li.alert .meta").First).ToHaveTextAsync(FreshOpenMeta());
        await Assertions.Expect(ada.Locator(".summary")).ToContainTextAsync("2 active (2 not yet taken)");
        await Assertions.Expect(dashboard.Page).ToHaveTitleAsync("(1 critical) Live queue — Telehealth");
        Assert.Equal(["Critical: Ada Testwell"], await dashboard.Page.EvaluateAsync<string[]>("() => window.__notifications"));
        Assert.Equal(3, await dashboard.Page.EvaluateAsync<int>("() => window.__tones")); // one three-beep tone, for the critical only

        await ada.Locator("li.alert[data-severity=critical] button.acknowledge").ClickAsync();

        await Assertions.Expect(dashboard.Page).ToHaveTitleAsync("Live queue — Telehealth", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(ada.Locator("li.alert[data-severity=critical] .meta")).ToContainTextAsync("acknowledged by admin");
        Assert.Equal(1, dashboard.LoadCount);
        Assert.Empty(dashboard.PolicyViolations);
    }

    [Fact]
    public async Task Two_staff_at_once_one_acknowledges_the_other_sees_it_at_once_and_cannot_take_it()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var (nurseA, passwordA) = await Workspace.AddStaffAsync(platform, "nurse-a");
        var (nurseB, passwordB) = await Workspace.AddStaffAsync(platform, "nurse-b");
        var bertId = await Workspace.CreatePersonAsync(staff, "Bert Pendleton", "4010232137", "1950-07-01");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, bertId, "pendant_alarm");
        await using var a = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await using var b = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await a.SignInAsync(nurseA, passwordA, bertId);
        await b.SignInAsync(nurseB, passwordB, bertId);
        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        var alertOnA = a.AlertFor("Bert Pendleton");
        var alertOnB = b.AlertFor("Bert Pendleton");
        await Assertions.Expect(alertOnA).ToHaveAttributeAsync("data-status", "open", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(alertOnB).ToHaveAttributeAsync("data-status", "open", new() { Timeout = DashboardPage.LiveTimeoutMs });

        await alertOnA.Locator("button.acknowledge").ClickAsync();

        // B sees it at once, without a reload: taken, by whom, and no Acknowledge button left.
        await Assertions.Expect(alertOnB).ToHaveAttributeAsync("data-status", "acknowledged", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(alertOnB.Locator(".meta")).ToContainTextAsync("acknowledged by nurse-a");
        await Assertions.Expect(alertOnB.Locator("button.acknowledge")).ToBeHiddenAsync();
        await Assertions.Expect(b.EntryFor("Bert Pendleton")).ToHaveAttributeAsync("data-state", "taken");

        await alertOnB.Locator("button.take").ClickAsync();

        await Assertions.Expect(alertOnB.Locator(".action-error")).ToHaveTextAsync("Already taken by nurse-a. Refresh shows who has it now.");
        await Assertions.Expect(alertOnA.Locator("button.take")).ToBeHiddenAsync(); // A has it: nothing to take
        var stored = Assert.Single((await staff.GetFromJsonAsync<AlertDto[]>("/api/alerts?status=all"))!);
        Assert.Equal(("acknowledged", nurseA, (string?)null), (stored.Status, stored.AcknowledgedBy, stored.AssignedTo));

        // A hands it over to B on purpose, picking B from the team's colleagues (GET /api/staff/colleagues: everyone
        // active in A's team but A): B sees it is theirs at once, and has nothing left to take.
        await alertOnA.Locator("summary").ClickAsync();
        await Assertions.Expect(alertOnA.Locator("select.assign-to option")).ToHaveTextAsync(["Choose a colleague", "admin (admin)", "nurse-b (clinician)"]);
        await alertOnA.Locator("select.assign-to").SelectOptionAsync(nurseB);
        await alertOnA.Locator(".assign-form button").ClickAsync();

        await Assertions.Expect(alertOnB.Locator(".meta")).ToContainTextAsync("assigned to nurse-b", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(alertOnB.Locator("button.take")).ToBeHiddenAsync();
        await Assertions.Expect(alertOnA.Locator("button.take")).ToBeVisibleAsync();
        await Assertions.Expect(alertOnA.Locator(".action-error")).ToHaveTextAsync("");
        stored = Assert.Single((await staff.GetFromJsonAsync<AlertDto[]>("/api/alerts?status=all"))!);
        Assert.Equal(nurseB, stored.AssignedTo);
        Assert.Equal(1, a.LoadCount);
        Assert.Equal(1, b.LoadCount);
        Assert.Empty(a.PolicyViolations);
        Assert.Empty(b.PolicyViolations);
    }

    [Fact]
    public async Task Live_updates_keep_focus_on_the_same_button_and_what_is_on_screen_still()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var people = new List<(string Id, string Name, (string DeviceId, string Secret) Pendant)>();
        foreach (var (name, nhs) in new[] { ("Person One", "9434765919"), ("Person Two", "4010232137"), ("Person Three", "9876543210"), ("Person Four", "9434765870") })
        {
            var id = await Workspace.CreatePersonAsync(staff, name, nhs, "1940-01-01");
            people.Add((id, name, await TelehealthPlatform.RegisterDeviceAsync(staff, id, "pendant_alarm")));
        }
        var lateId = await TelehealthPlatform.CreatePatientAsync(staff, "Person Late");
        var late = await TelehealthPlatform.RegisterDeviceAsync(staff, lateId, "pulse_oximeter");
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress, height: 500);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, lateId);
        foreach (var person in people)
        {
            await using var device = await MqttDevice.ConnectAsync(platform, person.Pendant.DeviceId, person.Pendant.Secret);
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        await Assertions.Expect(dashboard.Entries).ToHaveCountAsync(4, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(["Person One", "Person Two", "Person Three", "Person Four"]);
        var takeLast = dashboard.EntryFor("Person Four").Locator("button.take");
        await takeLast.ScrollIntoViewIfNeededAsync();
        await takeLast.FocusAsync();
        await dashboard.Page.EvaluateAsync("() => { window.__focused = document.activeElement; window.__y = scrollY; window.__top = document.activeElement.getBoundingClientRect().top; }");
        Assert.True(await dashboard.Page.EvaluateAsync<double>("() => scrollY") > 0, "the test needs a scrolled page");
        var alerts = (await staff.GetFromJsonAsync<AlertDto[]>("/api/alerts"))!;
        var (colleague, password) = await Workspace.AddStaffAsync(platform, "nurse-colleague");
        using var colleagueClient = platform.CreateAnonymousClient();
        colleagueClient.DefaultRequestHeaders.Authorization = new("Bearer", await platform.GetTokenAsync(colleague, password));

        // In place and below: a colleague snoozes Person Two's alert for themselves (a change that moves nothing for
        // me), and a new medium alert for another person arrives, sorted after the open criticals.
        (await colleagueClient.PostAsJsonAsync($"/api/alerts/{alerts.Single(x => x.PatientName == "Person Two").Id}/snooze", new { minutes = 10 })).EnsureSuccessStatusCode();
        await using (var device = await MqttDevice.ConnectAsync(platform, late.DeviceId, late.Secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":93}]""");
        }
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(
            ["Person One", "Person Two", "Person Three", "Person Four", "Person Late"], new() { Timeout = DashboardPage.LiveTimeoutMs });

        Assert.True(await dashboard.Page.EvaluateAsync<bool>("() => document.activeElement === window.__focused"));
        Assert.Equal(await dashboard.Page.EvaluateAsync<double>("() => window.__y"), await dashboard.Page.EvaluateAsync<double>("() => scrollY"));

        // Above: a colleague acknowledges Person One, whose entry moves below the open ones. The focused button is
        // neither re-created nor moved on screen (the browser's scroll anchoring absorbs the entry leaving above).
        (await colleagueClient.PostAsync($"/api/alerts/{alerts.Single(x => x.PatientName == "Person One").Id}/acknowledge", null)).EnsureSuccessStatusCode();
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(
            ["Person Two", "Person Three", "Person Four", "Person Late", "Person One"], new() { Timeout = DashboardPage.LiveTimeoutMs });

        Assert.True(await dashboard.Page.EvaluateAsync<bool>("() => document.activeElement === window.__focused"));
        Assert.Equal(await dashboard.Page.EvaluateAsync<double>("() => window.__top"),
            await dashboard.Page.EvaluateAsync<double>("() => document.activeElement.getBoundingClientRect().top"), 0);
        Assert.Equal(1, dashboard.LoadCount);
    }

    [Fact]
    public async Task Snooze_a_person_for_me_undo_it_and_resolve_with_an_outcome()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await Workspace.CreatePersonAsync(staff, "Ada Testwell", "9434765919", "1941-03-12");
        var bertId = await Workspace.CreatePersonAsync(staff, "Bert Pendleton", "4010232137", "1950-07-01");
        var ada = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId, "pendant_alarm");
        var bert = await TelehealthPlatform.RegisterDeviceAsync(staff, bertId, "pendant_alarm");
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, adaId);
        foreach (var (deviceId, secret) in new[] { ada, bert })
        {
            await using var device = await MqttDevice.ConnectAsync(platform, deviceId, secret);
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(["Ada Testwell", "Bert Pendleton"], new() { Timeout = DashboardPage.LiveTimeoutMs });
        var adaEntry = dashboard.EntryFor("Ada Testwell");

        await adaEntry.Locator(".snooze-minutes").SelectOptionAsync("30");
        await adaEntry.Locator("button.snooze").ClickAsync();

        await Assertions.Expect(adaEntry).ToHaveAttributeAsync("data-state", "snoozed");
        await Assertions.Expect(adaEntry.Locator(".snoozed-text")).ToHaveTextAsync(SnoozedUntil());
        await Assertions.Expect(adaEntry.Locator("li.alert .meta")).ToContainTextAsync("snoozed for you until");
        // Snoozed is never hidden: Ada stays in the queue, after the people still waiting for someone.
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(["Bert Pendleton", "Ada Testwell"]);

        await adaEntry.Locator("button.undo-snooze").ClickAsync();

        await Assertions.Expect(adaEntry).ToHaveAttributeAsync("data-state", "open");
        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(["Ada Testwell", "Bert Pendleton"]);
        var alertId = await adaEntry.Locator("li.alert").GetAttributeAsync("data-alert-id");
        var history = (await staff.GetFromJsonAsync<AlertDto[]>($"/api/alerts/{alertId}/events"))!;
        Assert.Equal(["raised", "snoozed", "unsnoozed"], history.Select(e => e.EventType));

        await adaEntry.Locator("summary").ClickAsync();
        await adaEntry.Locator("select.outcome").SelectOptionAsync("false_alarm");
        await adaEntry.Locator("input.note").FillAsync("Pressed by accident, spoke to her");
        await adaEntry.Locator("button.resolve").ClickAsync();

        await Assertions.Expect(dashboard.Entries.Locator("a.who")).ToHaveTextAsync(["Bert Pendleton"], new() { Timeout = DashboardPage.LiveTimeoutMs });
        var resolved = (await staff.GetFromJsonAsync<AlertDto>($"/api/alerts/{alertId}"))!;
        Assert.Equal(("resolved", "false_alarm", "admin"), (resolved.Status, resolved.Outcome, resolved.ResolvedBy));
        Assert.Empty(dashboard.PolicyViolations);
    }

    [GeneratedRegex(@"^Snoozed for you until \d\d:\d\d\.$")]
    private static partial Regex SnoozedUntil();

    [Fact]
    public async Task A_silent_device_appears_in_the_queue_as_missing_data()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var adaId = await Workspace.CreatePersonAsync(staff, "Ada Testwell", "9434765919", "1941-03-12");
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(staff, adaId, "pendant_alarm");
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, adaId);

        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            // A one-second heartbeat, then nothing: silent after three missed intervals.
            await device.PublishStatusAsync("""{"battery":80,"interval":1}""");
        }

        var alert = dashboard.AlertFor("Ada Testwell");
        await Assertions.Expect(alert).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(alert.Locator(".kind")).ToHaveTextAsync("Silent device");
        await Assertions.Expect(alert).ToHaveAttributeAsync("data-severity", "high");
        await Assertions.Expect(alert.Locator(".reason")).ToContainTextAsync(pendant.DeviceId);
        Assert.Equal(1, dashboard.LoadCount);
    }
}
