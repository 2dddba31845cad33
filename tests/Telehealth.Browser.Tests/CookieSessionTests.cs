using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// Browser sign-in keeps the token out of page script: it lives only in an HttpOnly cookie, never in
/// document.cookie, storage, the address or the console, and the workspace still works (API and live hub).
/// </summary>
public sealed class CookieSessionTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task No_token_is_reachable_from_page_script_storage_the_address_or_the_console()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Ada Testwell");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        var console = new List<string>();
        dashboard.Page.Console += (_, message) => { lock (console) { console.Add(message.Text); } };

        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, patientId);
        await using (var oximeter = await MqttDevice.ConnectAsync(platform, deviceId, secret))
        {
            await oximeter.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        }
        // The live hub works with the cookie alone.
        await Assertions.Expect(dashboard.AlertFor("Ada Testwell")).ToHaveCountAsync(2, new() { Timeout = DashboardPage.LiveTimeoutMs });

        var cookie = Assert.Single(await dashboard.Page.Context.CookiesAsync(), c => c.Name == "telehealth_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.StartsWith("eyJ", cookie.Value, StringComparison.Ordinal);
        var token = cookie.Value;
        var visible = await dashboard.Page.EvaluateAsync<string>("""
            () => [document.cookie, location.href, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }),
                   document.documentElement.outerHTML].join("\n")
            """);
        Assert.DoesNotContain(token, visible, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", visible, StringComparison.Ordinal); // no JWT of any kind
        Assert.Equal(string.Empty, await dashboard.Page.EvaluateAsync<string>("() => document.cookie"));
        lock (console)
        {
            Assert.DoesNotContain(console, line => line.Contains(token, StringComparison.Ordinal) || line.Contains("eyJ", StringComparison.Ordinal));
        }
        Assert.Empty(dashboard.PolicyViolations);
    }

    [Fact]
    public async Task A_reload_keeps_the_session_and_sign_out_ends_it()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Ada Testwell");
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SignInAsync(TelehealthPlatform.AdminUsername, platform.AdminPassword, patientId);

        await dashboard.Page.ReloadAsync();

        await Assertions.Expect(dashboard.Page.Locator("#live-status[data-state=live]")).ToBeVisibleAsync(new() { Timeout = DashboardPage.LiveTimeoutMs });
        await Assertions.Expect(dashboard.Patient(patientId)).ToHaveCountAsync(1);
        await Assertions.Expect(dashboard.Page.Locator("#signed-in-as")).ToHaveTextAsync("admin (admin)");

        await dashboard.Page.Locator("#sign-out").ClickAsync();

        await Assertions.Expect(dashboard.Page.Locator("#login")).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.Dashboard).ToBeHiddenAsync();
        Assert.DoesNotContain(await dashboard.Page.Context.CookiesAsync(), c => c.Name == "telehealth_session");
        await dashboard.Page.ReloadAsync();
        await Assertions.Expect(dashboard.Page.Locator("#login")).ToBeVisibleAsync();
        await Assertions.Expect(dashboard.Page.GetByText("Ada Testwell")).ToHaveCountAsync(0);
        Assert.Empty(dashboard.PolicyViolations);
    }
}
