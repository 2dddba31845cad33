using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telehealth.CareRecord.Staff;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// The service figures page (#/figures): a team lead sees the period's figures as charts with tables holding exactly
/// the API's numbers, and a CSV link for the same period; axe finds nothing at phone, tablet and laptop widths. A role
/// without the permission is refused by the server (403) and told so by the page, and is not offered the link.
/// </summary>
public sealed class FiguresPageTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_team_lead_sees_the_period_s_figures_in_charts_and_tables_matching_the_API_and_a_CSV_of_the_same_period()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        using var clinician = await platform.CreateStaffClientAsync("clin-figures", StaffRoles.Clinician);
        var personId = await Workspace.CreatePersonAsync(admin, "Ada Figures", "9434765919", "1941-03-12");
        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(admin, personId);
        var pendant = await TelehealthPlatform.RegisterDeviceAsync(admin, personId, "pendant_alarm");
        await using (var device = await MqttDevice.ConnectAsync(platform, oximeter.DeviceId, oximeter.Secret))
        {
            // SpO2 84 %: a critical threshold alert and a medium NEWS2.
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":84}]""");
        }
        await using (var device = await MqttDevice.ConnectAsync(platform, pendant.DeviceId, pendant.Secret))
        {
            await device.PublishEventAsync("""{"event":"pendant_press"}""");
        }
        await platform.SettledAsync();
        var alerts = (await admin.GetFromJsonAsync<JsonElement>($"/api/alerts?patientId={personId}")).EnumerateArray().ToList();
        Assert.Equal(3, alerts.Count);
        var threshold = alerts.Single(a => a.GetProperty("condition").GetString() == "threshold:spo2").GetProperty("id").GetString();
        (await admin.PostAsync($"/api/alerts/{threshold}/acknowledge", null)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/alerts/{threshold}/calls", new { outcome = "reached", actions = new[] { "advice_given" } })).EnsureSuccessStatusCode();
        (await clinician.PutAsJsonAsync($"/api/patients/{personId}/monitoring-plan", new
        {
            timeZone = "Europe/London",
            scheduledReadings = new[] { new { kind = "spo2", opens = "07:00", dueBy = "11:00", graceMinutes = 30, deviceId = oximeter.DeviceId } },
            heartbeats = new[] { new { deviceId = oximeter.DeviceId, intervalMinutes = 15 } },
            reason = "agreed at the first visit",
        })).EnsureSuccessStatusCode();
        var (lead, password) = await Workspace.AddStaffAsync(platform, "lead-figures", StaffRoles.TeamLead);

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(lead, password, personId);
        var page = dashboard.Page;
        await page.Locator("#nav a[data-route=figures]").ClickAsync();
        var figuresPage = page.Locator("#figures-page");
        await Assertions.Expect(figuresPage).ToHaveAttributeAsync("data-state", "shown", new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#figures-controls button[data-days='30']")).ToHaveAttributeAsync("aria-pressed", "true");

        // The same period through the API: the page's tables hold exactly its numbers.
        var from = await figuresPage.GetAttributeAsync("data-from");
        var to = await figuresPage.GetAttributeAsync("data-to");
        var query = $"from={Uri.EscapeDataString(from!)}&to={Uri.EscapeDataString(to!)}";
        var api = await admin.GetFromJsonAsync<JsonElement>($"/api/figures?{query}");
        Assert.Equal(TimeSpan.FromDays(30), DateTimeOffset.Parse(to!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(from!, CultureInfo.InvariantCulture));
        Assert.Equal(3, api.GetProperty("alertsRaised").GetInt32());

        Assert.Equal(["Critical | 2", "High | 0", "Medium | 1", "Low | 0"], await RowsAsync(page, "severity"));
        Assert.Equal(new[] { "critical", "high", "medium", "low" }.Select(s => $"{char.ToUpperInvariant(s[0])}{s[1..]} | {api.GetProperty("bySeverity").GetProperty(s).GetInt32()}"),
            await RowsAsync(page, "severity"));
        await Assertions.Expect(page.Locator("[data-figure=severity] .figure-summary")).ToHaveTextAsync("3 alerts raised: critical 2, high 0, medium 1, low 0.");
        Assert.Equal(["Telecare event | 1", "NEWS2 | 1", "Reading out of range | 1"], await RowsAsync(page, "kind"));

        var ack = api.GetProperty("timeToAcknowledge");
        var call = api.GetProperty("timeToFirstCall");
        Assert.Equal((1, 2), (ack.GetProperty("responded").GetInt32(), ack.GetProperty("waiting").GetInt32()));
        Assert.Equal((1, 2), (call.GetProperty("responded").GetInt32(), call.GetProperty("waiting").GetInt32()));
        Assert.Equal([TimesRow("To acknowledge", ack), TimesRow("To first call", call)], await RowsAsync(page, "response"));

        Assert.Equal(["Reached | 1", "No answer | 0", "Wrong number | 0", "Busy | 0"], await RowsAsync(page, "call-outcomes"));
        Assert.Equal(["Advice given | 1", "Repeat reading requested | 0", "GP informed | 0", "Visit arranged | 0", "111 advised | 0", "999 advised | 0", "Ambulance called | 0"],
            await RowsAsync(page, "call-actions"));
        await Assertions.Expect(page.Locator("[data-figure=follow-ups] .figure-summary")).ToHaveTextAsync("1 call about 1 alert; 0 escalated after repeated no answer.");
        Assert.Equal(["None resolved | 0"], await RowsAsync(page, "resolved"));
        // Planned since now: no whole window has closed yet, so no share (not 0 %).
        Assert.Equal(["Ada Figures (NHS 943 476 5919 · born 12 Mar 1941) | spo2 | 0 | 0 | –"], await RowsAsync(page, "adherence"));
        Assert.Equal([$"{oximeter.DeviceId} | pulse oximeter | 720.0 | 0 | 100.0%"], await RowsAsync(page, "uptime"));
        Assert.Equal(1, api.GetProperty("uptime").GetArrayLength());
        await Assertions.Expect(page.Locator("#figures-page canvas")).ToHaveCountAsync(6);
        await Assertions.Expect(page.Locator("#figures-page table")).ToHaveCountAsync(8);

        // The CSV link is the same period, and the server answers it for this session.
        var href = await CsvLinkOfShownPeriodAsync(page);
        var csv = await page.Context.APIRequest.GetAsync(new Uri(platform.BaseAddress, href!).ToString());
        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("alerts,raised,,3", lines);
        Assert.Contains("time_to_first_call,responded,,1", lines);
        Assert.Contains("call_outcomes,reached,,1", lines);
        var csvFrom = lines.Single(l => l.StartsWith("period,from,", StringComparison.Ordinal));
        Assert.Equal(DateTimeOffset.Parse(from!, CultureInfo.InvariantCulture), DateTimeOffset.Parse(csvFrom.Split(',')[2], CultureInfo.InvariantCulture));

        // axe and width at phone, tablet and laptop sizes; the picture for the README at laptop size.
        var problems = new List<string>();
        foreach (var (width, height) in new[] { (390, 844), (768, 1024), (1280, 800) })
        {
            await page.SetViewportSizeAsync(width, height);
            problems.AddRange((await Workspace.AxeViolationsAsync(page)).Select(v => $"{width}px: {v}"));
            if (!await Workspace.FitsWidthAsync(page))
            {
                problems.Add($"{width}px: scrolls sideways");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await Workspace.ScreenshotAsync(page, "figures");

        // Another preset, then a period of chosen dates with nothing in it.
        await page.Locator("#figures-controls button[data-days='7']").ClickAsync();
        await Assertions.Expect(page.Locator("#figures-controls button[data-days='7']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("[data-figure=severity] .figure-summary")).ToHaveTextAsync("3 alerts raised: critical 2, high 0, medium 1, low 0.");
        await page.Locator("#figures-from").FillAsync("2025-01-01");
        await page.Locator("#figures-to").FillAsync("2025-01-31");
        await page.Locator(".figures-period button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-figure=severity] .figure-summary")).ToHaveTextAsync("0 alerts raised: critical 0, high 0, medium 0, low 0.");
        await Assertions.Expect(page.Locator("#figures-controls button[aria-pressed=true]")).ToHaveCountAsync(0);
        Assert.Equal(["Critical | 0", "High | 0", "Medium | 0", "Low | 0"], await RowsAsync(page, "severity"));
        await CsvLinkOfShownPeriodAsync(page);
        Assert.Equal(2025, DateTimeOffset.Parse((await figuresPage.GetAttributeAsync("data-from"))!, CultureInfo.InvariantCulture).Year);
        Assert.Equal(1, dashboard.LoadCount);
        Assert.Empty(dashboard.PolicyViolations);
    }

    [Theory]
    // A clinician keeps Administration for the thresholds they set there; telephone support has nothing to administer.
    [InlineData(StaffRoles.TelephoneSupport, "telephone support", "queue worklist people")]
    [InlineData(StaffRoles.Clinician, "clinician", "queue worklist people admin")]
    public async Task A_role_without_figures_is_not_offered_the_page_and_opening_it_shows_the_server_s_refusal(string role, string roleWords, string navigation)
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Bert Refused", "4010232137", "1950-07-01");
        var (username, password) = await Workspace.AddStaffAsync(platform, "refused-1", role);

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(username, password, personId);
        var page = dashboard.Page;

        // Only the pages this role may use are in the navigation (never figures).
        Assert.Equal(navigation.Split(' '), await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#nav a')].filter(a => a.offsetParent !== null).map(a => a.dataset.route)"));

        var response = await page.RunAndWaitForResponseAsync(
            () => page.EvaluateAsync("() => { location.hash = '#/figures'; }"),
            r => r.Url.Contains("/api/figures", StringComparison.Ordinal));

        Assert.Equal((int)HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("read_service_figures", (await response.JsonAsync())!.Value.GetProperty("permission").GetString());
        var figuresPage = page.Locator("#figures-page");
        await Assertions.Expect(figuresPage).ToHaveAttributeAsync("data-state", "refused");
        await Assertions.Expect(page.Locator("#figures-error")).ToHaveTextAsync($"Your role ({roleWords}) cannot see service figures: they are for team leads and admins.");
        await Assertions.Expect(figuresPage.Locator("table")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#figures-controls")).ToBeHiddenAsync();
        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        Assert.Empty(dashboard.PolicyViolations);
    }

    /// <summary>The CSV link asks for exactly the period the page shows (the server's echo of it); returns the link.</summary>
    private static async Task<string> CsvLinkOfShownPeriodAsync(IPage page)
    {
        var href = (await page.Locator("#figures-csv").GetAttributeAsync("href"))!;
        Assert.StartsWith("/api/figures?format=csv&", href, StringComparison.Ordinal);
        var parameters = System.Web.HttpUtility.ParseQueryString(href[(href.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        foreach (var name in new[] { "from", "to" })
        {
            var shown = await page.Locator("#figures-page").GetAttributeAsync($"data-{name}");
            Assert.Equal(DateTimeOffset.Parse(shown!, CultureInfo.InvariantCulture), DateTimeOffset.Parse(parameters[name]!, CultureInfo.InvariantCulture));
        }
        return href;
    }

    /// <summary>Each body row of one figure's table as "cell | cell | …".</summary>
    private static async Task<string[]> RowsAsync(IPage page, string table) =>
        await page.EvaluateAsync<string[]>(
            "name => [...document.querySelectorAll(`table[data-table='${name}'] tbody tr`)].map(tr => [...tr.cells].map(c => c.textContent).join(' | '))", table);

    /// <summary>The row the page shows for one set of response times, from the API's numbers (the page's own formatting).</summary>
    private static string TimesRow(string label, JsonElement times) =>
        string.Join(" | ", label, times.GetProperty("responded").GetInt32(), times.GetProperty("waiting").GetInt32(),
            Seconds(times.GetProperty("medianSeconds")), Seconds(times.GetProperty("percentile90Seconds")),
            Percent(times.GetProperty("shareWithin60Seconds")), Percent(times.GetProperty("shareWithin3Minutes")));

    private static string Seconds(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return "–";
        }
        var s = (long)Math.Round(value.GetDouble(), MidpointRounding.AwayFromZero);
        return s < 60 ? $"{s} s"
            : s < 3600 ? $"{s / 60} min" + (s % 60 > 0 ? $" {s % 60} s" : "")
            : $"{s / 3600} h {s % 3600 / 60:00} min";
    }

    private static string Percent(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null ? "–"
            : (Math.Round(value.GetDouble() * 1000, MidpointRounding.AwayFromZero) / 10).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
