using System.Security.Claims;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Staff;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Teams and staff accounts. The routes and field names are fixed (outside scripts set up a service with them):
/// <c>POST /api/teams {name} → {id}</c>, <c>POST /api/staff {username, password, role, teamId}</c>.
/// </summary>
public static class StaffEndpoints
{
    public sealed record CreateTeamRequest(string? Name);

    public sealed record TeamCreatedResponse(string Id, string Name);

    public sealed record TeamDto(string Id, string Name, DateTimeOffset? CreatedAt);

    public sealed record CreateStaffRequest(string? Username, string? Password, string? Role, string? TeamId);

    public sealed record StaffDto(string Username, string Role, string TeamId, DateTimeOffset CreatedAt, bool Disabled, DateTimeOffset? DisabledAt);

    public const string CannotDisableSelf = "cannot_disable_self";

    public static IEndpointRouteBuilder MapStaffEndpoints(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/teams").WithTags("Staff");

        teams.MapPost("/", async (CreateTeamRequest? request, ITeamStore store, CancellationToken ct) =>
        {
            var name = request?.Name?.Trim() ?? "";
            if (name.Length is 0 or > TeamRecord.MaxNameLength)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [$"name is required, at most {TeamRecord.MaxNameLength} characters."] });
            }
            return await store.CreateAsync(name, ct) is { } id
                ? Results.Created($"/api/teams/{id}", new TeamCreatedResponse(id, name))
                : Results.Problem(statusCode: 409, title: $"A team named '{name}' exists", extensions: new Dictionary<string, object?> { ["code"] = "duplicate_team_name" });
        }).Requires(StaffPermission.ManageTeams);

        teams.MapGet("/", async (ITeamStore store, CancellationToken ct) =>
            Results.Ok((await store.ListAsync(ct)).Select(t => new TeamDto(t.Id, t.Name, t.CreatedAt))))
            .Requires(StaffPermission.ViewTeams);

        var staff = app.MapGroup("/api/staff").WithTags("Staff");

        staff.MapPost("/", async (CreateStaffRequest? request, ITeamStore teamStore, StaffAccounts accounts, CancellationToken ct) =>
        {
            var username = request?.Username?.Trim() ?? "";
            var problems = new Dictionary<string, string[]>();
            if (UsernamePolicy.Problem(username) is { } usernameProblem)
            {
                problems["username"] = [usernameProblem];
            }
            if (PasswordPolicy.Check(username, request?.Password) is { Count: > 0 } passwordProblems)
            {
                problems["password"] = [.. passwordProblems];
            }
            // Only the current names: call_handler is read from old data but no longer given out.
            if (!WireNames.TryParse<StaffRole>(request?.Role, out var role))
            {
                problems["role"] = [$"Unknown role '{request?.Role}'. Known: {string.Join(", ", StaffRoleNames.All)}."];
            }
            var teamId = request?.TeamId?.Trim() ?? "";
            if (teamId.Length == 0)
            {
                problems["teamId"] = ["teamId is required."];
            }
            else if (!await teamStore.ExistsAsync(teamId, ct))
            {
                problems["teamId"] = [$"Unknown team '{teamId}'."];
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems);
            }
            var user = new StaffUser(username, StaffRoleNames.Of(role), teamId);
            return await accounts.CreateAsync(user, request!.Password!, ct) switch
            {
                StaffCreateResult.Created => Results.Created($"/api/staff/{username}", await DtoAsync(accounts, username, ct)),
                _ => Results.Problem(statusCode: 409, title: $"A staff account '{username}' exists", extensions: new Dictionary<string, object?> { ["code"] = "duplicate_username" }),
            };
        }).Requires(StaffPermission.ManageStaff);

        // Admins see every account (?teamId= narrows it); team leads see their own team's.
        staff.MapGet("/", async (string? teamId, ClaimsPrincipal user, StaffAccounts accounts, CancellationToken ct) =>
        {
            var scope = user.Can(StaffPermission.ManageStaff) ? (string.IsNullOrWhiteSpace(teamId) ? null : teamId.Trim()) : user.TeamId();
            return Results.Ok((await accounts.ListAsync(scope, ct)).Select(ToDto));
        }).Requires(StaffPermission.ViewStaff);

        // Disabled, not deleted: the name stays on what the account did, and its tokens stop working at once.
        staff.MapPost("/{username}/disable", async (string username, ClaimsPrincipal user, StaffAccounts accounts, CancellationToken ct) =>
        {
            if (username == user.Username())
            {
                return Results.Problem(statusCode: 409, title: "You cannot disable your own account",
                    extensions: new Dictionary<string, object?> { ["code"] = CannotDisableSelf });
            }
            return await accounts.DisableAsync(username, ct)
                ? Results.Ok(await DtoAsync(accounts, username, ct))
                : Results.Problem(statusCode: 404, title: $"No staff account {username}");
        }).Requires(StaffPermission.ManageStaff);
        return app;
    }

    private static async Task<StaffDto> DtoAsync(StaffAccounts accounts, string username, CancellationToken ct) =>
        ToDto((await accounts.GetAsync(username, ct))!);

    private static StaffDto ToDto(StaffAccount a) => new(a.Username, a.Role, a.TeamId, a.CreatedAt, a.DisabledAt is not null, a.DisabledAt);
}
