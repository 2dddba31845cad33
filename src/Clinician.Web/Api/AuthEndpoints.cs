using System.Globalization;
using Telehealth.Clinician.Web.Auth;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Api;

public static class AuthEndpoints
{
    /// <summary>Longer input names no account and is refused before any other work.</summary>
    public const int MaxUsernameLength = 256;

    public const int MaxPasswordLength = 1_024;

    public const int MaxFailuresPage = 500;

    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>OAuth-style field names: scripts already written against token endpoints expect them.</summary>
    public sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

    public sealed record SignInFailureDto(long Id, DateTimeOffset At, string Username, string Source, string Reason);

    /// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
    public sealed record SignInFailuresResponse(IReadOnlyList<SignInFailureDto> Items, long? NextBefore);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (TokenRequest request, HttpContext context, SignInService signIn, TokenIssuer issuer, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
            {
                return Results.Problem(statusCode: 400, title: "username and password are required");
            }
            if (request.Username.Length > MaxUsernameLength || request.Password.Length > MaxPasswordLength)
            {
                return Results.Problem(statusCode: 400, title: $"username is at most {MaxUsernameLength} and password at most {MaxPasswordLength} characters");
            }
            // The direct peer: no forwarded-for header is trusted (none is configured), so a client cannot choose its source.
            var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var result = await signIn.SignInAsync(request.Username, request.Password, source, ct);
            switch (result.Outcome)
            {
                case SignInOutcome.SignedIn:
                    var (token, expiresAt) = issuer.Issue(result.User!);
                    return Results.Ok(new TokenResponse(token, "Bearer", expiresAt));
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
        .AllowAnonymous()
        .WithTags("Auth");

        // Admins only: what was typed at sign-in may be a mistyped password, so it is not for every member of staff.
        app.MapGet("/api/auth/failures", async (int? limit, long? before, ISignInFailureLog failures, CancellationToken ct) =>
        {
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            var size = Math.Clamp(limit ?? 100, 1, MaxFailuresPage);
            var page = await failures.PageAsync(size, before, ct);
            var items = page.Select(f => new SignInFailureDto(f.Id, f.At, f.Username, f.Source, f.Reason)).ToList();
            return Results.Ok(new SignInFailuresResponse(items, items.Count == size ? items[^1].Id : null));
        })
        .Requires(StaffPermission.ViewOperations)
        .WithTags("Auth");
        return app;
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan wait) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
