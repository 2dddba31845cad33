using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Api;

public static class AuthEndpoints
{
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>OAuth-style field names: scripts already written against token endpoints expect them.</summary>
    public sealed record TokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", async (TokenRequest request, StaffDirectory staff, TokenIssuer issuer, CancellationToken ct) =>
        {
            if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
            {
                return Results.Problem(statusCode: 400, title: "username and password are required");
            }
            var user = await staff.VerifyAsync(request.Username, request.Password, ct);
            if (user is null)
            {
                return Results.Problem(statusCode: 401, title: "Wrong username or password");
            }
            var (token, expiresAt) = issuer.Issue(user);
            return Results.Ok(new TokenResponse(token, "Bearer", expiresAt));
        })
        .AllowAnonymous()
        .WithTags("Auth");
        return app;
    }
}
