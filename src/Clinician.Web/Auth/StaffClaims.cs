using System.Security.Claims;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>Claim names in staff tokens (short JWT names; inbound claim mapping is off), and reading them back.</summary>
public static class StaffClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Team = "team";

    public static string Username(this ClaimsPrincipal user) =>
        user.FindFirstValue(Subject) ?? throw new InvalidOperationException("Token without a subject.");

    public static string TeamId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Team) ?? throw new InvalidOperationException("Token without a team.");
}
