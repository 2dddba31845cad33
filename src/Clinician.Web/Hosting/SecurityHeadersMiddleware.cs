namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Browser-facing protection on every response, and no caching of anything that may carry patient data.
/// The dashboard loads only its own files (no inline script or style, no third-party origin), so the policy can be
/// strict: a script injected through data (a device id, a reason detail) cannot run, and no page may frame ours.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>
    /// connect-src 'self' covers fetch and the SignalR WebSocket on the same origin (CSP 3 matches ws: to 'self');
    /// frame-ancestors 'none' is the modern form of X-Frame-Options DENY, which old browsers still read.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Paths whose responses may carry patient data or tokens: never kept by a browser or a proxy.</summary>
    private static readonly PathString[] NoStorePaths = ["/api", "/fhir", "/hubs"];

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
            if (Array.Exists(NoStorePaths, path => http.Request.Path.StartsWithSegments(path)))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
