using System.Net;
using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>No alert is shown, and none can be fetched, without a valid staff sign-in.</summary>
public sealed class SignInTests(ChromiumBrowser chromium) : IClassFixture<ChromiumBrowser>
{
    [Theory]
    [InlineData("admin", "not-the-password")]
    [InlineData("nobody", null)] // an unknown user with the admin's real password
    public async Task Wrong_credentials_show_the_error_and_no_alerts(string username, string? password)
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        using var staff = await platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Ada Testwell");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
        await using (var device = await MqttDevice.ConnectAsync(platform, deviceId, secret))
        {
            await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        }
        // There is something to hide: the publish returned after the platform settled, so the alerts exist now.
        using (var anonymous = platform.CreateAnonymousClient())
        {
            using var response = await anonymous.GetAsync("/api/alerts?status=active");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            using var negotiate = await anonymous.PostAsync("/hubs/alerts/negotiate?negotiateVersion=1", null);
            Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        }
        using (var withStaffToken = await staff.GetAsync("/api/alerts?status=active"))
        {
            Assert.Contains("Ada Testwell", await withStaffToken.Content.ReadAsStringAsync());
        }

        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);
        await dashboard.SubmitSignInAsync(username, password ?? platform.AdminPassword);

        await Assertions.Expect(dashboard.LoginError).ToHaveTextAsync("Wrong username or password.");
        await dashboard.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, $"sign-in-refused-{username}.png") });
        await Assertions.Expect(dashboard.Dashboard).ToBeHiddenAsync();
        await Assertions.Expect(dashboard.Page.Locator("#session")).ToBeHiddenAsync();
        await Assertions.Expect(dashboard.Alerts).ToHaveCountAsync(0);
        await Assertions.Expect(dashboard.Page.GetByText("Ada Testwell")).ToHaveCountAsync(0);
        Assert.Empty(await dashboard.Page.Context.CookiesAsync()); // a refused sign-in sets no session cookie
    }

    [Fact]
    public async Task Repeated_wrong_passwords_show_when_to_try_again()
    {
        await using var platform = await TelehealthPlatform.StartAsync();
        await using var dashboard = await chromium.OpenDashboardAsync(platform.BaseAddress);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await dashboard.SubmitSignInAsync("nurse-typo", "wrong-" + attempt);
            await Assertions.Expect(dashboard.LoginError).ToHaveTextAsync("Wrong username or password.");
            await dashboard.Page.EvaluateAsync("() => { document.getElementById('login-error').textContent = ''; }");
        }
        await dashboard.SubmitSignInAsync("nurse-typo", "wrong-6");

        await Assertions.Expect(dashboard.LoginError).ToHaveTextAsync("Too many failed sign-ins. Try again in 30 seconds.");
        Assert.Empty(dashboard.PolicyViolations);
    }
}
