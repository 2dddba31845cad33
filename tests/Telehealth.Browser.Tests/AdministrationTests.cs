using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telehealth.CareRecord.Staff;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// Administration in the browser (#/admin): a fresh install walked through by its first admin, devices issued with
/// the credential shown once, people's details corrected with the NHS number checked at the field, thresholds set by
/// a clinician in the unit they choose, and a role that may not administer refused by the page and the API.
/// </summary>
public sealed class AdministrationTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_fresh_install_walks_the_first_admin_from_team_to_device_and_thresholds_then_never_again()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        await dashboard.SubmitSignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword);

        // An empty care record: the first admin lands on the walkthrough, not an empty queue.
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=setup]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        Assert.EndsWith("#/admin/setup", page.Url, StringComparison.Ordinal);
        var steps = page.Locator("#setup-steps li.setup-step");
        await Assertions.Expect(steps).ToHaveCountAsync(5);
        await ExpectStatesAsync(page, "current", "to-do", "to-do", "to-do", "to-do");
        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        await Workspace.ScreenshotAsync(page, "admin-setup");

        // 1. A team.
        var current = page.Locator("li.setup-step[data-state=current]");
        await current.GetByLabel("Team name").FillAsync("Community respiratory north");
        await current.GetByRole(AriaRole.Button, new() { Name = "Add team" }).ClickAsync();
        await ExpectStatesAsync(page, "done", "current", "to-do", "to-do", "to-do");

        // 2. A clinician, in the admin's own team (the default), who will set thresholds below.
        const string clinicianPassword = "clinician-pass-7Qx9";
        await current.GetByLabel("Username").FillAsync("nurse.north");
        await current.GetByLabel("Password").FillAsync(clinicianPassword);
        await Assertions.Expect(current.GetByLabel("Role")).ToHaveValueAsync("clinician");
        await current.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();
        await ExpectStatesAsync(page, "done", "done", "current", "to-do", "to-do");

        // 3. A person.
        await current.GetByLabel("Name").FillAsync("Ada Firstrun");
        await current.GetByLabel("NHS number").FillAsync("943 476 5919");
        await current.GetByLabel("Date of birth").FillAsync("1941-03-12");
        await current.GetByRole(AriaRole.Button, new() { Name = "Add person" }).ClickAsync();
        await ExpectStatesAsync(page, "done", "done", "done", "current", "to-do");

        // 4. A device: its credential is shown, and the step waits until the admin says it was noted.
        await current.GetByLabel("Device type").SelectOptionAsync("pulse_oximeter");
        await current.GetByRole(AriaRole.Button, new() { Name = "Issue device" }).ClickAsync();
        await Assertions.Expect(current.Locator(".credential")).ToContainTextAsync("You will not see this secret again.");
        var deviceId = await current.Locator(".credential .device-id").TextContentAsync();
        var secret = await current.Locator(".credential .secret").TextContentAsync();
        await using (var device = await MqttDevice.ConnectAsync(platform, deviceId!, secret!))
        {
            // The secret shown is the device's real credential: the broker accepts it.
        }
        await current.GetByRole(AriaRole.Button, new() { Name = "I have noted the secret: next step" }).ClickAsync();
        await ExpectStatesAsync(page, "done", "done", "done", "done", "current");
        await Assertions.Expect(page.Locator("li.setup-step[data-state=current]")).ToContainTextAsync("A clinician sets each person's thresholds");

        // 5. Thresholds are a clinician's: the clinician the walkthrough created sets them; the step is done from the record.
        var people = await admin.GetFromJsonAsync<JsonElement>("/api/patients");
        var personId = people.EnumerateArray().Single().GetProperty("id").GetString()!;
        using (var clinician = platform.CreateAnonymousClient())
        {
            clinician.DefaultRequestHeaders.Authorization = new("Bearer", await platform.GetTokenAsync("nurse.north", clinicianPassword));
            (await clinician.PutAsJsonAsync($"/api/patients/{personId}/thresholds",
                new { thresholds = new[] { new { kind = "spo2", criticalLow = 85.0, low = 88.0 } } })).EnsureSuccessStatusCode();
        }
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=setup]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await ExpectStatesAsync(page, "done", "done", "done", "done", "done");
        await Assertions.Expect(page.Locator("#setup-title")).ToHaveTextAsync("All set");

        // Complete: never offered again, neither on the admin pages nor on signing in.
        await page.Locator("#nav a[data-route=admin]").ClickAsync();
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=people]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#admin-nav a")).ToHaveTextAsync(["People", "Devices", "Thresholds", "Staff", "Teams", "Duty rota"]);
        await page.Locator("#sign-out").ClickAsync();
        // The sign-in form shows once the server has ended the session: navigating before then could abort the DELETE
        // and load the page with the session cookie still valid (the dashboard, not the form: CI at b501830).
        await Assertions.Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.GotoAsync("/");
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, personId);
        await Assertions.Expect(page.Locator("#dashboard")).ToBeVisibleAsync();
        Assert.DoesNotContain("#/admin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_issued_device_shows_its_credential_once_and_a_reload_does_not_show_it_again()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Bea Devices", "4010232137", "1950-07-01");

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, personId);
        await page.GotoAsync("/#/admin/devices");
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=devices]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#admin-device-list li")).ToHaveCountAsync(0);

        await page.GetByLabel("Person").SelectOptionAsync(personId);
        await page.GetByLabel("Device type").SelectOptionAsync("thermometer");
        await page.GetByLabel("Serial number (optional)").FillAsync("TH-0042");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue device" }).ClickAsync();

        var credential = page.Locator(".credential");
        await Assertions.Expect(credential.Locator("h3")).ToHaveTextAsync("Device credential — shown once");
        await Assertions.Expect(credential.Locator("h3")).ToBeFocusedAsync();
        await Assertions.Expect(credential).ToContainTextAsync("You will not see this secret again.");
        var deviceId = (await credential.Locator(".device-id").TextContentAsync())!;
        var secret = (await credential.Locator(".secret").TextContentAsync())!;
        await Assertions.Expect(page.Locator($"#admin-device-list li[data-device-id='{deviceId}']")).ToContainTextAsync("With Bea Devices");
        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        Assert.True(await Workspace.FitsWidthAsync(page));
        await Workspace.ScreenshotAsync(page, "admin-devices");
        await using (await MqttDevice.ConnectAsync(platform, deviceId, secret))
        {
            // The secret on the page is the one the broker checks.
        }

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=devices]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator($"#admin-device-list li[data-device-id='{deviceId}']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".credential")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        // Nor does the API ever give it back.
        Assert.DoesNotContain(secret, await admin.GetStringAsync($"/api/devices/{deviceId}"), StringComparison.Ordinal);

        // Taken back: the device stays listed as returned.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Take back {deviceId}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#admin-device-list li[data-device-id='{deviceId}']")).ToHaveAttributeAsync("data-status", "retrieved");
        var stored = await admin.GetFromJsonAsync<JsonElement>($"/api/devices/{deviceId}");
        Assert.Equal("retrieved", stored.GetProperty("status").GetString());
        Assert.Equal("TH-0042", stored.GetProperty("serialNumber").GetString());
    }

    [Fact]
    public async Task Editing_a_person_with_a_bad_nhs_number_shows_the_error_on_the_field_and_sends_nothing()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Cy Typo", "9434765919", "1941-03-12");

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        var puts = 0;
        page.Request += (_, request) =>
        {
            if (request.Method == "PUT" && request.Url.Contains("/api/patients/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref puts);
            }
        };
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, personId);
        await page.GotoAsync("/#/admin/people");
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=people]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        var item = page.Locator($"#admin-people-list li[data-patient-id='{personId}']");
        await Assertions.Expect(item).ToContainTextAsync("NHS 943 476 5919 · born 12 Mar 1941");
        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        await Workspace.ScreenshotAsync(page, "admin-people");

        // By keyboard: focus Edit, press Enter; the form opens with focus on its first field.
        await item.GetByRole(AriaRole.Button, new() { Name = "Edit Cy Typo" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var nhs = item.GetByLabel("NHS number");
        await Assertions.Expect(item.GetByLabel("Name")).ToBeFocusedAsync();
        await nhs.FillAsync("943 476 5918"); // last digit wrong: the check digit is 9
        await nhs.FocusAsync();
        await page.Keyboard.PressAsync("Enter"); // submits the form

        var error = item.Locator(".field-error").Filter(new() { HasTextString = "not a valid NHS number" });
        await Assertions.Expect(error).ToHaveCountAsync(1);
        await Assertions.Expect(nhs).ToHaveAttributeAsync("aria-invalid", "true");
        var errorId = await error.GetAttributeAsync("id");
        Assert.Contains(errorId!, (await nhs.GetAttributeAsync("aria-describedby"))!.Split(' '));
        await Assertions.Expect(nhs).ToBeFocusedAsync();
        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        Assert.Equal(0, Volatile.Read(ref puts));
        var unchanged = await admin.GetFromJsonAsync<JsonElement>($"/api/patients/{personId}");
        Assert.Equal("9434765919", unchanged.GetProperty("nhsNumber").GetString());

        // Corrected, it is saved (once), and the list shows the new number.
        await nhs.FillAsync("401 023 2137");
        await item.GetByLabel("Name").FillAsync("Cy Corrected");
        await item.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        var saved = page.Locator($"#admin-people-list li[data-patient-id='{personId}']");
        await Assertions.Expect(saved).ToContainTextAsync("Cy Corrected");
        await Assertions.Expect(saved).ToContainTextAsync("NHS 401 023 2137");
        Assert.Equal(1, Volatile.Read(ref puts));
        var changed = await admin.GetFromJsonAsync<JsonElement>($"/api/patients/{personId}");
        Assert.Equal("4010232137", changed.GetProperty("nhsNumber").GetString());
        Assert.Equal("Cy Corrected", changed.GetProperty("displayName").GetString());

        // The server decides too: a bad number sent straight to the API is refused with its reason code, on its field.
        var refused = await admin.PutAsJsonAsync($"/api/patients/{personId}", new { displayName = "Cy", nhsNumber = "1234567890", dateOfBirth = "1941-03-12" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_nhs_number", problem.GetProperty("code").GetString());
        Assert.StartsWith("invalid_nhs_number:", problem.GetProperty("errors").GetProperty("nhsNumber")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clinician_sets_thresholds_in_fahrenheit_and_stones_and_the_api_holds_the_exact_canonical_values()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Dee Fever", "9434765870", "1950-06-01");
        var (clinician, password) = await Workspace.AddStaffAsync(platform, "nurse.units", StaffRoles.Clinician);

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        await dashboard.SignInAsync(clinician, password, personId);
        await page.GotoAsync("/#/admin/thresholds");
        await Assertions.Expect(page.Locator($"#threshold-editor[data-loaded='{personId}']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });

        var temperature = page.Locator("fieldset.vital[data-kind=body_temperature]");
        await temperature.GetByLabel("Personal thresholds").CheckAsync();
        await temperature.GetByLabel("Unit").SelectOptionAsync("F");
        await temperature.GetByLabel("High (Temperature)", new() { Exact = true }).FillAsync("100.4");
        await temperature.GetByLabel("Critical high (Temperature)", new() { Exact = true }).FillAsync("102.2");
        await temperature.GetByLabel("Low (Temperature)", new() { Exact = true }).FillAsync("");
        await temperature.GetByLabel("Critical low (Temperature)", new() { Exact = true }).FillAsync("95");
        await Assertions.Expect(temperature.Locator(".stored-as")).ToHaveTextAsync("Stored in °C: critical low 35, high 38, critical high 39");
        var weight = page.Locator("fieldset.vital[data-kind=body_weight]");
        await weight.GetByLabel("Personal thresholds").CheckAsync();
        await weight.GetByLabel("Unit").SelectOptionAsync("st");
        await weight.GetByLabel("Critical low (Weight)", new() { Exact = true }).FillAsync("");
        await weight.GetByLabel("Low (Weight)", new() { Exact = true }).FillAsync("11");
        await weight.GetByLabel("High (Weight)", new() { Exact = true }).FillAsync("");
        await weight.GetByLabel("Critical high (Weight)", new() { Exact = true }).FillAsync("");

        Assert.Empty(await Workspace.AxeViolationsAsync(page));
        await Workspace.ScreenshotAsync(page, "admin-thresholds");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save thresholds" }).ClickAsync();
        await Assertions.Expect(page.Locator("#threshold-editor .saved")).ToHaveTextAsync("Saved.");

        var overrides = (await admin.GetFromJsonAsync<JsonElement>($"/api/patients/{personId}/thresholds")).GetProperty("overrides").EnumerateArray()
            .ToDictionary(t => t.GetProperty("kind").GetString()!);
        Assert.Equal(["body_temperature", "body_weight"], overrides.Keys.Order());
        var celsius = overrides["body_temperature"];
        Assert.Equal("Cel", celsius.GetProperty("unit").GetString());
        Assert.Equal(35.0, celsius.GetProperty("criticalLow").GetDouble());
        Assert.Equal(JsonValueKind.Null, celsius.GetProperty("low").ValueKind);
        Assert.Equal(38.0, celsius.GetProperty("high").GetDouble());
        Assert.Equal(39.0, celsius.GetProperty("criticalHigh").GetDouble());
        // 11 st = 154 lb = 69.85322498 kg exactly; stored to six decimals.
        Assert.Equal(69.853225, overrides["body_weight"].GetProperty("low").GetDouble());

        // Shown again in the unit this clinician chose (kept in the browser), converted back.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator($"#threshold-editor[data-loaded='{personId}']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(temperature.GetByLabel("Unit")).ToHaveValueAsync("F");
        await Assertions.Expect(temperature.GetByLabel("High (Temperature)", new() { Exact = true })).ToHaveValueAsync("100.4");
        await Assertions.Expect(weight.GetByLabel("Low (Weight)", new() { Exact = true })).ToHaveValueAsync("11");
    }

    [Fact]
    public async Task An_admin_sees_thresholds_read_only_because_only_clinicians_change_them()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Eve Readonly", "9434765919", "1941-03-12");

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, personId);
        await page.GotoAsync("/#/admin/thresholds");
        await Assertions.Expect(page.Locator($"#threshold-editor[data-loaded='{personId}']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#thresholds-read-only")).ToContainTextAsync("only clinicians change thresholds");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save thresholds" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("fieldset.vital input[data-bound]:enabled")).ToHaveCountAsync(0);
        // And the server refuses an admin's change anyway.
        var refused = await admin.PutAsJsonAsync($"/api/patients/{personId}/thresholds", new { thresholds = new[] { new { kind = "spo2", low = 90.0 } } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task Telephone_support_opening_admin_is_refused_by_the_page_and_by_the_api()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Fay Phone", "9434765919", "1941-03-12");
        var (handler, password) = await Workspace.AddStaffAsync(platform, "phone.support", StaffRoles.TelephoneSupport);

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        await dashboard.SignInAsync(handler, password, personId);
        await Assertions.Expect(page.Locator("#nav-admin")).ToBeHiddenAsync();
        await page.GotoAsync("/#/admin/staff");
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=refused]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#admin-refused")).ToContainTextAsync("Not available to your role");
        await Assertions.Expect(page.Locator("#admin-page form")).ToHaveCountAsync(0);
        Assert.Empty(await Workspace.AxeViolationsAsync(page));

        using var phone = platform.CreateAnonymousClient();
        phone.DefaultRequestHeaders.Authorization = new("Bearer", await platform.GetTokenAsync(handler, password));
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.GetAsync("/api/staff")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PostAsJsonAsync("/api/teams", new { name = "Sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PutAsJsonAsync($"/api/patients/{personId}", new { displayName = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await phone.PostAsJsonAsync("/api/devices", new { patientId = personId, type = "thermometer" })).StatusCode);
    }

    [Fact]
    public async Task An_admin_adds_a_member_of_staff_puts_them_on_the_duty_rota_and_disables_another()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Hal Rota", "9434765919", "1941-03-12");
        var (leaver, leaverPassword) = await Workspace.AddStaffAsync(platform, "leaver", StaffRoles.TelephoneSupport);
        using var anonymous = platform.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = leaver, password = leaverPassword })).StatusCode);

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var page = dashboard.Page;
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, personId);
        await page.GotoAsync("/#/admin/staff");
        var pane = page.Locator("#admin-page");
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=staff]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });

        // A password the policy refuses is answered on the password field, from the server.
        await pane.GetByLabel("Username").FillAsync("nurse.rota");
        await pane.GetByLabel("Password").FillAsync("short");
        await pane.GetByLabel("Role").SelectOptionAsync("team_lead");
        await pane.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();
        await Assertions.Expect(pane.GetByLabel("Password")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator(".field-error").Filter(new() { HasTextString = "at least 12 characters" })).ToHaveCountAsync(1);
        await pane.GetByLabel("Password").FillAsync("a-long-enough-password-42");
        await pane.GetByRole(AriaRole.Button, new() { Name = "Add member of staff" }).ClickAsync();
        await Assertions.Expect(page.Locator("#admin-staff-list li[data-username='nurse.rota']")).ToContainTextAsync("team lead · team-community-rehab");

        await pane.GetByRole(AriaRole.Button, new() { Name = "Disable leaver" }).ClickAsync();
        await Assertions.Expect(page.Locator("#admin-staff-list li[data-username=leaver]")).ToHaveAttributeAsync("data-disabled", "true");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = leaver, password = leaverPassword })).StatusCode);
        // No button to disable oneself.
        await Assertions.Expect(page.Locator("#admin-staff-list li[data-username=admin] button")).ToHaveCountAsync(0);

        // The duty rota: a team lead first, then a shift running now.
        await page.Locator("#admin-nav a[data-section=rota]").ClickAsync();
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=rota]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(page.Locator("#on-duty-now")).ToHaveTextAsync("Nobody is on the rota right now: escalation goes to the team lead.");
        await pane.GetByLabel("Team lead (username)").FillAsync("nurse.rota");
        await pane.GetByLabel("Team lead's email").FillAsync("lead@example.org");
        await pane.GetByRole(AriaRole.Button, new() { Name = "Save team lead" }).ClickAsync();
        await Assertions.Expect(page.Locator("#admin-body[data-loaded=rota] .empty")).ToHaveCountAsync(0);
        await pane.GetByLabel("Who (username)").FillAsync("nurse.rota");
        await pane.GetByLabel("Their email").FillAsync("duty@example.org");
        await pane.GetByRole(AriaRole.Button, new() { Name = "Add shift" }).ClickAsync();
        await Assertions.Expect(page.Locator("#on-duty-now")).ToHaveTextAsync("On duty now: nurse.rota");
        var rota = await admin.GetFromJsonAsync<JsonElement>($"/api/teams/{TelehealthPlatform.DefaultTeamId}/rota");
        Assert.Equal("nurse.rota", rota.GetProperty("teamLead").GetString());
        var shift = rota.GetProperty("entries").EnumerateArray().Single();
        Assert.Equal(("nurse.rota", "duty@example.org"), (shift.GetProperty("username").GetString(), shift.GetProperty("email").GetString()));
        Assert.True(shift.GetProperty("start").GetDateTimeOffset() <= DateTimeOffset.UtcNow && DateTimeOffset.UtcNow < shift.GetProperty("end").GetDateTimeOffset());
    }

    [Fact]
    public async Task Every_admin_page_has_no_axe_violations_and_no_sideways_scrolling_at_phone_tablet_and_laptop_widths()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var admin = await platform.CreateStaffClientAsync();
        var personId = await Workspace.CreatePersonAsync(admin, "Gus Layout", "9434765919", "1941-03-12");
        await TelehealthPlatform.RegisterDeviceAsync(admin, personId);
        (await admin.PostAsJsonAsync("/api/teams", new { name = "Community respiratory south" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync($"/api/teams/{TelehealthPlatform.DefaultTeamId}/rota", new
        {
            teamLead = "admin",
            teamLeadContact = new { email = "lead@example.org" },
            entries = new[] { new { username = "admin", email = "duty@example.org", start = DateTimeOffset.UtcNow.AddHours(-1), end = DateTimeOffset.UtcNow.AddHours(7) } },
        })).EnsureSuccessStatusCode();
        var (clinician, password) = await Workspace.AddStaffAsync(platform, "nurse.layout", StaffRoles.Clinician);
        var problems = new List<string>();

        foreach (var (width, height) in new[] { (390, 844), (768, 1024), (1280, 800) })
        {
            await using (var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress, width, height))
            {
                var page = dashboard.Page;
                await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, personId);
                foreach (var section in new[] { "setup", "people", "devices", "thresholds", "staff", "teams", "rota" })
                {
                    await page.GotoAsync($"/#/admin/{section}");
                    await Assertions.Expect(page.Locator($"#admin-body[data-loaded={section}]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
                    await CheckAsync(page, $"admin {section} at {width}px", problems);
                }
                await Assertions.Expect(page.Locator("#on-duty-now")).ToHaveTextAsync("On duty now: admin");
                if (width == 1280)
                {
                    await Workspace.ScreenshotAsync(page, "admin-rota");
                    await page.GotoAsync("/#/admin/staff");
                    await Assertions.Expect(page.Locator("#admin-body[data-loaded=staff]")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
                    await Workspace.ScreenshotAsync(page, "admin-staff");
                }
                Assert.Empty(dashboard.PolicyViolations);
            }
            // The clinician's editable threshold form.
            await using (var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress, width, height))
            {
                var page = dashboard.Page;
                await dashboard.SignInAsync(clinician, password, personId);
                await page.GotoAsync("/#/admin/thresholds");
                await Assertions.Expect(page.Locator($"#threshold-editor[data-loaded='{personId}']")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.LiveTimeoutMs });
                await page.Locator("fieldset.vital[data-kind=spo2]").GetByLabel("Personal thresholds").CheckAsync();
                await CheckAsync(page, $"clinician thresholds at {width}px", problems);
            }
        }

        Assert.Empty(problems);
    }

    private static async Task ExpectStatesAsync(IPage page, params string[] states)
    {
        var steps = page.Locator("#setup-steps li.setup-step");
        for (var i = 0; i < states.Length; i++)
        {
            await Assertions.Expect(steps.Nth(i)).ToHaveAttributeAsync("data-state", states[i], new() { Timeout = DashboardPage.LiveTimeoutMs });
        }
    }

    private static async Task CheckAsync(IPage page, string where, List<string> problems)
    {
        problems.AddRange((await Workspace.AxeViolationsAsync(page)).Select(v => $"{where}: {v}"));
        if (!await Workspace.FitsWidthAsync(page))
        {
            problems.Add($"{where}: wider than the window");
        }
    }
}
