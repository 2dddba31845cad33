using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

public sealed class TokenIssuer(SigningKeyProvider keys, IOptions<AuthOptions> options, TimeProvider timeProvider)
{
    public const string Issuer = "telehealth";
    public const string Audience = "telehealth-staff";

    public (string Token, DateTimeOffset ExpiresAt) Issue(StaffUser user)
    {
        var now = timeProvider.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity(
            [
                new Claim(StaffClaims.Subject, user.Username),
                new Claim(StaffClaims.Role, user.Role),
                new Claim(StaffClaims.Team, user.TeamId),
            ]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        };
        return (new JsonWebTokenHandler().CreateToken(descriptor), expires);
    }
}
