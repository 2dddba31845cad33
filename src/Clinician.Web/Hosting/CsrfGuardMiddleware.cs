using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Refuses, with 403 and the reason code <c>csrf_header_missing</c>, any unsafe request (POST, PUT, PATCH, DELETE...)
/// that would be authenticated by the session cookie but lacks <see cref="SessionCookie.CsrfHeader"/>. Bearer-token
/// requests (scripts) are not affected: a browser never adds an Authorization header by itself.
/// </summary>
public sealed class CsrfGuardMiddleware(RequestDelegate next)
{
    public const string ReasonCode = "csrf_header_missing";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || HttpMethods.IsTrace(request.Method) || SessionCookie.TokenOf(request) is null
            || request.Headers.ContainsKey(SessionCookie.CsrfHeader))
        {
            return next(context);
        }
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden,
            title: $"A signed-in browser request that changes something must carry the {SessionCookie.CsrfHeader} header",
            extensions: new Dictionary<string, object?> { ["code"] = ReasonCode }).ExecuteAsync(context);
    }
}
