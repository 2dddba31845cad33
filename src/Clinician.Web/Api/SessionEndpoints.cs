using Telehealth.CareRecord.Staff;
using System.Globalization;
using System.Security.Claims;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Browser sign-in with an HttpOnly cookie (<see cref="SessionCookie"/>): the same accounts, throttle and failure
/// log as <c>POST /api/auth/token</c>, but the token never reaches page script.
/// </summary>
public static class SessionEndpoints
{
    public sealed record SessionRequest(string? Username, string? Password);

    /// <summary>Who is signed in: enough for the page to greet them and to offer what their role allows.</summary>
    /// <param name="Permissions">What the role may do (<see cref="PermissionMatrix"/>), so the page offers only that; the server still decides.</param>
    public sealed record SessionDto(string Username, string Role, string TeamId, DateTimeOffset? ExpiresAt, IReadOnlyList<string>? Permissions = null);

    private static IReadOnlyList<string> PermissionsOf(string? role) =>
        StaffRoleNames.TryParse(role, out var parsed) ? [.. PermissionMatrix.PermissionsOf(parsed).Select(WireNames.Of)] : [];

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth/session").WithTags("Auth");

        group.MapPost("/", async (SessionRequest request, HttpContext context, SignInService signIn, TokenIssuer issuer, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
            {
                return Results.Problem(statusCode: 400, title: "username and password are required");
            }
            if (request.Username.Length > AuthEndpoints.MaxUsernameLength || request.Password.Length > AuthEndpoints.MaxPasswordLength)
            {
                return Results.Problem(statusCode: 400,
                    title: $"username is at most {AuthEndpoints.MaxUsernameLength} and password at most {AuthEndpoints.MaxPasswordLength} characters");
            }
            // The direct peer, as for tokens: no forwarded-for header is trusted, so a client cannot choose its source.
            var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var result = await signIn.SignInAsync(request.Username, request.Password, source, ct);
            switch (result.Outcome)
            {
                case SignInOutcome.SignedIn:
                    var user = result.User!;
                    var (token, expiresAt) = issuer.Issue(user);
                    SessionCookie.Append(context, token, expiresAt);
                    return Results.Ok(new SessionDto(user.Username, user.Role, user.TeamId, expiresAt, PermissionsOf(user.Role)));
                case SignInOutcome.Throttled:
                    SetRetryAfter(context, result.RetryAfter);
                    return Results.Problem(statusCode: 429, title: "Too many failed sign-ins; try again later",
                        detail: $"Try again in {(int)result.RetryAfter.TotalSeconds} s.");
                case SignInOutcome.Busy:
                    SetRetryAfter(context, result.RetryAfter);
                    return Results.Problem(statusCode: 503, title: "Sign-in is busy; try again shortly");
                default:
                    return Results.Problem(statusCode: 401, title: "Wrong username or password");
            }
        })
        .AllowAnonymous();

        group.MapGet("/", (ClaimsPrincipal user) =>
        {
            var expires = long.TryParse(user.FindFirstValue("exp"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
            var role = user.FindFirstValue(StaffClaims.Role) ?? string.Empty;
            return Results.Ok(new SessionDto(user.Username(), role, user.TeamId(), expires, PermissionsOf(role)));
        })
        .Requires(StaffPermission.ViewCaseload); // every role has it: "who am I" for any signed-in member of staff

        // Anonymous on purpose: signing out must work with an expired cookie too.
        group.MapDelete("/", (HttpContext context) =>
        {
            SessionCookie.Delete(context);
            return Results.NoContent();
        })
        .AllowAnonymous();
        return app;
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
