using System.Security.Claims;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Escalation;
using Telehealth.CareRecord;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Notifications.Webhooks;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// A team's duty rota: who escalation climbs to, in order, how to reach them, and the partners to bring in. Read by
/// any member of the team; replaced by an admin of the team or the team lead the current rota names. Another
/// team's rota is 404, as if it did not exist.
/// </summary>
public static class TeamRotaEndpoints
{
    public sealed record ContactDto(string? Email, string? Webhook);

    public sealed record RotaEntryDto(string? Username, string? Email, string? Webhook, DateTimeOffset Start, DateTimeOffset End);

    public sealed record RotaPartnerDto(string? Id, string? Kind, AlertSeverity? MinimumSeverity, int? FromStep, string? Email, string? Webhook);

    public sealed record RotaRequest(string? TeamLead, ContactDto? TeamLeadContact, IReadOnlyList<RotaEntryDto>? Entries, IReadOnlyList<RotaPartnerDto>? Partners);

    public sealed record RotaDto(
        string TeamId, string TeamLead, ContactDto TeamLeadContact, IReadOnlyList<RotaEntryDto> Entries,
        IReadOnlyList<RotaPartnerDto> Partners, DateTimeOffset UpdatedAt, string UpdatedBy);

    public static IEndpointRouteBuilder MapTeamRotaEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/teams/{teamId}/rota").Requires(StaffPermission.ViewCaseload).WithTags("Escalation");

        group.MapGet("/", async (string teamId, ClaimsPrincipal user, ITeamRotaStore rotas, CancellationToken ct) =>
        {
            if (teamId != user.TeamId())
            {
                return NotFound(teamId);
            }
            return await rotas.GetAsync(teamId, ct) is { } rota
                ? Results.Ok(ToDto(rota))
                : Results.Problem(statusCode: 404, title: $"Team {teamId} has no duty rota yet", type: "no_rota");
        });

        group.MapPut("/", async (string teamId, RotaRequest request, ClaimsPrincipal user, ITeamRotaStore rotas, IOptions<WebhookOptions> webhooks, TimeProvider time, CancellationToken ct) =>
        {
            if (teamId != user.TeamId())
            {
                return NotFound(teamId);
            }
            var rota = FromRequest(teamId, request, user.Username(), time.GetUtcNow());
            var problems = TeamRotaValidator.Validate(rota, webhooks.Value.Targets.Keys.ToHashSet(StringComparer.Ordinal));
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["rota"] = [.. problems] });
            }
            await rotas.PutAsync(rota, ct);
            return Results.Ok(ToDto(rota));
        }).Requires(StaffPermission.ManageRota);
        return app;
    }

    private static IResult NotFound(string teamId) => Results.Problem(statusCode: 404, title: $"No team {teamId} of yours");

    private static TeamRota FromRequest(string teamId, RotaRequest request, string by, DateTimeOffset now) => new(
        teamId,
        request.TeamLead?.Trim() ?? "",
        Contact(request.TeamLeadContact?.Email, request.TeamLeadContact?.Webhook),
        (request.Entries ?? []).Select(e => new RotaEntry(e.Username?.Trim() ?? "", Contact(e.Email, e.Webhook), e.Start, e.End)).ToList(),
        (request.Partners ?? []).Select(p => new RotaPartner(p.Id?.Trim() ?? "", p.Kind?.Trim() ?? "", p.MinimumSeverity ?? AlertSeverity.Critical,
            p.FromStep ?? 1, Contact(p.Email, p.Webhook))).ToList(),
        now,
        by);

    private static RotaContact Contact(string? email, string? webhook) =>
        new(string.IsNullOrWhiteSpace(email) ? null : email.Trim(), string.IsNullOrWhiteSpace(webhook) ? null : webhook.Trim());

    private static RotaDto ToDto(TeamRota rota) => new(
        rota.TeamId,
        rota.TeamLead,
        new ContactDto(rota.TeamLeadContact.Email, rota.TeamLeadContact.Webhook),
        rota.Entries.Select(e => new RotaEntryDto(e.Username, e.Contact.Email, e.Contact.Webhook, e.Start, e.End)).ToList(),
        rota.Partners.Select(p => new RotaPartnerDto(p.Id, p.Kind, p.MinimumSeverity, p.FromStep, p.Contact.Email, p.Contact.Webhook)).ToList(),
        rota.UpdatedAt,
        rota.UpdatedBy);
}
