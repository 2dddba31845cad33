using System.Security.Claims;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Staff;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// <c>GET /api/staff/colleagues</c>: the active members of the caller's own team (username and role), so any role that
/// works alerts can hand one to a colleague by picking a name rather than typing it. Unlike <c>GET /api/staff</c> it
/// carries no account history, and it is never another team's list: the team comes from the caller's token.
/// </summary>
public static class ColleagueEndpoints
{
    public sealed record ColleagueDto(string Username, string Role);

    public static IEndpointRouteBuilder MapColleagueEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/staff/colleagues", async (ClaimsPrincipal user, StaffAccounts accounts, CancellationToken ct) =>
            // Team-scoped in the query; disabled accounts (a handful per team at most) are left out here.
            Results.Ok((await accounts.ListAsync(user.TeamId(), ct))
                .Where(a => a.DisabledAt is null)
                .Select(a => new ColleagueDto(a.Username, a.Role))))
            .Requires(StaffPermission.ViewColleagues).WithTags("Staff");
        return app;
    }
}
