using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Integration.Tests.Platform;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Integration.Tests.Security;

/// <summary>Every token that is missing, forged, expired or short of a claim answers 401 ProblemDetails, never a 500.</summary>
public sealed class HttpTokenTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly string[] ProtectedPaths = ["/api/patients", "/api/rejections", "/api/alerts", "/fhir/Patient"];

    private string Token(SecurityKey key, DateTimeOffset issued, TimeSpan lifetime, params Claim[] claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenIssuer.Issuer,
            Audience = TokenIssuer.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issued.UtcDateTime,
            NotBefore = issued.UtcDateTime,
            Expires = (issued + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

    private SecurityKey RealKey => fixture.Platform.Services.GetRequiredService<SigningKeyProvider>().Key;

    private static Claim[] Full => [new(StaffClaims.Subject, "nurse-x"), new(StaffClaims.Role, StaffRoles.Clinician), new(StaffClaims.Team, "team-community-rehab")];

    public static TheoryData<string> BadTokens() => ["none", "garbage", "forged", "expired", "no-team", "no-subject", "no-role", "unknown-role", "empty-team", "wrong-audience"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_bad_token_answers_401_problem_details_on_every_protected_path(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        var token = kind switch
        {
            "none" => null,
            "garbage" => "not.a.token",
            "forged" => Token(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), now, TimeSpan.FromHours(1), Full),
            "expired" => Token(RealKey, now.AddHours(-3), TimeSpan.FromHours(1), Full),
            "no-team" => Token(RealKey, now, TimeSpan.FromHours(1), Full[0], Full[1]),
            "no-subject" => Token(RealKey, now, TimeSpan.FromHours(1), Full[1], Full[2]),
            "no-role" => Token(RealKey, now, TimeSpan.FromHours(1), Full[0], Full[2]),
            "unknown-role" => Token(RealKey, now, TimeSpan.FromHours(1), Full[0], new Claim(StaffClaims.Role, "superuser"), Full[2]),
            "empty-team" => Token(RealKey, now, TimeSpan.FromHours(1), Full[0], Full[1], new Claim(StaffClaims.Team, "")),
            "wrong-audience" => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = TokenIssuer.Issuer, Audience = "someone-else", Subject = new ClaimsIdentity(Full),
                Expires = now.AddHours(1).UtcDateTime, SigningCredentials = new SigningCredentials(RealKey, SecurityAlgorithms.HmacSha256),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        using var client = fixture.Platform.CreateAnonymousClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var path in ProtectedPaths)
        {
            var response = await client.GetAsync(path);
            Assert.True(HttpStatusCode.Unauthorized == response.StatusCode, $"{path}: {response.StatusCode}");
            await HttpProblems.AssertNoStackTraceAsync(response);
        }
    }

    [Fact]
    public async Task A_complete_token_signed_with_the_real_key_is_accepted()
    {
        using var client = fixture.Platform.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(RealKey, DateTimeOffset.UtcNow, TimeSpan.FromHours(1), Full));

        foreach (var path in ProtectedPaths)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        }
    }
}
