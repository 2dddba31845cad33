namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// Browser sign-in: the staff token travels only in an HttpOnly, SameSite=Strict cookie (Secure on https), so no
/// page script, URL, storage or console ever holds it. Scripts keep using bearer tokens from <c>/api/auth/token</c>.
/// </summary>
public static class SessionCookie
{
    public const string Name = "telehealth_session";

    /// <summary>
    /// Unsafe requests authenticated by the cookie must carry this header (any value). A cross-site form cannot set a
    /// custom header, and a cross-origin fetch that sets one needs a CORS preflight this server never grants: together
    /// with SameSite=Strict this keeps another site from acting in a signed-in member of staff's name.
    /// </summary>
    public const string CsrfHeader = "X-Telehealth-Request";

    public static void Append(HttpContext context, string token, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(Name, token, Options(context, expiresAt));
    }

    public static void Delete(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Delete(Name, Options(context, null));
    }

    /// <summary>The cookie's token when the request has no Authorization header (a bearer token always wins).</summary>
    public static string? TokenOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization.Count > 0)
        {
            return null;
        }
        return request.Cookies.TryGetValue(Name, out var token) && !string.IsNullOrEmpty(token) ? token : null;
    }

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expiresAt) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/",
        Expires = expiresAt,
        IsEssential = true,
    };
}
