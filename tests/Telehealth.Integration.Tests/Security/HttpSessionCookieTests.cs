using Telehealth.CareRecord.Staff;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// Browser sign-in: the token goes only into an HttpOnly, SameSite=Strict cookie; the cookie authenticates the API and
/// the hub; unsafe requests made with it need the custom header; it shares the token endpoint's throttle.
/// </summary>
public sealed class HttpSessionCookieTests(SignInPlatformFixture fixture) : IClassFixture<SignInPlatformFixture>
{
    private const string Csrf = SessionCookie.CsrfHeader;

    private HttpClient Anonymous() => fixture.Platform.CreateAnonymousClient();

    /// <summary>Signs in through the session endpoint and returns the Set-Cookie header and the cookie's value.</summary>
    private async Task<(string SetCookie, string Token, JsonElement Body)> SignInAsync(string username, string password)
    {
        using var client = Anonymous();
        var response = await client.PostAsJsonAsync("/api/auth/session", new { username, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var token = setCookie.Split(';')[0][(SessionCookie.Name.Length + 1)..];
        return (setCookie, token, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private HttpClient WithCookie(string token, bool csrfHeader)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("Cookie", $"{SessionCookie.Name}={token}");
        if (csrfHeader)
        {
            client.DefaultRequestHeaders.Add(Csrf, "1");
        }
        return client;
    }

    [Fact]
    public async Task Sign_in_sets_an_HttpOnly_SameSite_Strict_cookie_that_names_the_user_and_reads_the_api()
    {
        var (nurse, password) = await fixture.AddStaffAsync("nurse-cookie");

        var (setCookie, token, body) = await SignInAsync(nurse, password);

        var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).Where(a => !a.StartsWith("expires=", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(["httponly", "path=/", "samesite=strict"], attributes); // no Secure on plain http; Secure on https
        Assert.StartsWith("eyJ", token, StringComparison.Ordinal);
        Assert.Equal((nurse, "clinician", "team-community-rehab"), (body.Str("username"), body.Str("role"), body.Str("teamId")));
        Assert.DoesNotContain(token, body.GetRawText(), StringComparison.Ordinal);

        using var browser = WithCookie(token, csrfHeader: false);
        var session = await browser.GetJsonAsync("/api/auth/session");
        Assert.Equal((nurse, "clinician", "team-community-rehab"), (session.Str("username"), session.Str("role"), session.Str("teamId")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/alerts")).StatusCode);
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/auth/session")).StatusCode);
    }

    [Fact]
    public async Task An_unsafe_request_with_the_cookie_but_without_the_custom_header_is_refused_403_and_changes_nothing()
    {
        var (nurse, password) = await fixture.AddStaffAsync("nurse-csrf");
        var (_, token, _) = await SignInAsync(nurse, password);
        using var forged = WithCookie(token, csrfHeader: false);
        using var page = WithCookie(token, csrfHeader: true);
        using var script = Anonymous();
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await fixture.Platform.GetTokenAsync(nurse, password));

        var refused = await forged.PostAsJsonAsync("/api/patients", new { displayName = "Forged Csrf" });
        var allowed = await page.PostAsJsonAsync("/api/patients", new { displayName = "Page Csrf" });
        var bearer = await script.PostAsJsonAsync("/api/patients", new { displayName = "Script Csrf" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(CsrfGuardCode, (await refused.Content.ReadFromJsonAsync<JsonElement>()).Str("code"));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, bearer.StatusCode);
        var names = (await page.GetJsonAsync("/api/patients")).EnumerateArray().Select(p => p.Str("displayName")).Where(n => n.EndsWith(" Csrf", StringComparison.Ordinal)).Order();
        Assert.Equal(["Page Csrf", "Script Csrf"], names);
    }

    private const string CsrfGuardCode = Telehealth.Clinician.Web.Hosting.CsrfGuardMiddleware.ReasonCode;

    [Fact]
    public async Task Session_and_token_sign_ins_share_one_throttle()
    {
        var (nurse, password) = await fixture.AddStaffAsync("nurse-cookie-guessed");
        using var client = Anonymous();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var path = attempt % 2 == 0 ? "/api/auth/token" : "/api/auth/session";
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(path, new { username = nurse, password = "guess-" + attempt })).StatusCode);
        }
        var sixth = await client.PostAsJsonAsync("/api/auth/session", new { username = nurse, password });

        Assert.Equal((HttpStatusCode)429, sixth.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), sixth.Headers.RetryAfter?.Delta);
        Assert.False(sixth.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Sign_out_expires_the_cookie()
    {
        var (nurse, password) = await fixture.AddStaffAsync("nurse-cookie-out");
        var (_, token, _) = await SignInAsync(nurse, password);
        using var page = WithCookie(token, csrfHeader: true);

        var signOut = await page.DeleteAsync("/api/auth/session");

        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        var cleared = Assert.Single(signOut.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"{SessionCookie.Name}=;", cleared, StringComparison.Ordinal);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_hub_accepts_the_cookie_and_pushes_the_teams_alerts()
    {
        var (nurse, password) = await fixture.AddStaffAsync("nurse-cookie-hub");
        var (_, token, _) = await SignInAsync(nurse, password);
        using var page = WithCookie(token, csrfHeader: true);
        var patientId = (await page.PostJsonAsync("/api/patients", new { displayName = "Hub Cookie" })).Str("id");
        // Devices are issued by an admin (manage_devices); the nurse's cookie is what the hub must accept.
        var (admin, adminPassword) = await fixture.AddStaffAsync("admin-cookie-hub", StaffRoles.Admin);
        var (_, adminToken, _) = await SignInAsync(admin, adminPassword);
        using var adminPage = WithCookie(adminToken, csrfHeader: true);
        var device = await adminPage.PostJsonAsync("/api/devices", new { patientId, type = "pulse_oximeter" });
        var raised = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Platform.BaseAddress, "/hubs/alerts"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.Headers["Cookie"] = $"{SessionCookie.Name}={token}";
                options.Headers[Csrf] = "1";
            })
            .Build();
        connection.On<JsonElement>("alertRaised", alert =>
        {
            if (alert.Str("patientId") == patientId)
            {
                raised.TrySetResult(alert);
            }
        });
        await connection.StartAsync();
        // The handshake is answered before the connection joins its team's group; invocations are handled only after
        // that, so one (of a method the hub does not have) is the barrier after which no push can be missed.
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("joined"));

        await using (var oximeter = await MqttDevice.ConnectAsync(fixture.Platform.MqttPort, device.Str("deviceId"), device.Str("secret")))
        {
            await oximeter.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":86}]""");
        }

        var alert = await raised.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Hub Cookie", alert.Str("patientName"));
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/hubs/alerts/negotiate?negotiateVersion=1", null)).StatusCode);
    }
}
