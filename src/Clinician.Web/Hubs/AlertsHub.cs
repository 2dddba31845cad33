using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Hubs;

/// <summary>
/// Live alerts for staff at /hubs/alerts. Each connection joins its team's group, so a team sees only its own
/// caseload. Server-to-client only: acknowledging goes through the REST API, where it is audited.
/// </summary>
[Authorize]
public sealed class AlertsHub : Hub
{
    public const string Path = "/hubs/alerts";

    public static string TeamGroup(string teamId) => "team:" + teamId;

    public override async Task OnConnectedAsync()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, TeamGroup(Context.User!.TeamId()));
        await base.OnConnectedAsync();
    }
}
