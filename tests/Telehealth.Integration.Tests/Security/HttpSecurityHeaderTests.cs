using System.Net;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Integration.Tests.Platform;

namespace Telehealth.Integration.Tests.Security;

/// <summary>Browser protections on every response, and no caching of anything that may carry patient data.</summary>
public sealed class HttpSecurityHeaderTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    [Theory]
    [InlineData("/", false, false)]
    [InlineData("/js/main.js", false, false)]
    [InlineData("/health", false, false)]
    [InlineData("/api/patients", true, true)]
    [InlineData("/api/rejections", true, true)]
    [InlineData("/api/patients", false, true)]      // a 401 carries the headers too
    [InlineData("/api/nothing-here", true, true)]   // and a 404
    [InlineData("/fhir/metadata", false, true)]
    [InlineData("/fhir/Patient", true, true)]
    public async Task Every_response_carries_the_security_headers_and_patient_data_is_never_stored(string path, bool signedIn, bool noStore)
    {
        using var anonymous = fixture.Platform.CreateAnonymousClient();
        var client = signedIn ? fixture.Staff : anonymous;

        var response = await client.GetAsync(path);

        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        Assert.Equal([SecurityHeadersMiddleware.ContentSecurityPolicy], response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.Contains("frame-ancestors 'none'", SecurityHeadersMiddleware.ContentSecurityPolicy);
        Assert.Equal(noStore, response.Headers.CacheControl?.NoStore == true);
    }

    [Fact]
    public async Task The_dashboard_page_has_no_inline_script_or_style_for_the_policy_to_block()
    {
        using var client = fixture.Platform.CreateAnonymousClient();

        var html = await client.GetStringAsync("/");

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/lib/signalr.min.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/lib/chart.umd.min.js")).StatusCode);
        var module = await client.GetAsync("/js/main.js");
        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType); // module scripts need a JavaScript type
    }
}
