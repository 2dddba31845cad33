using System.Security.Claims;
using Telehealth.Alerts.Caseload;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Storage;
using Telehealth.CareRecord.Alerting;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").RequireAuthorization().WithTags("Alerts");

        // status: active (default: every alert not resolved), open, acknowledged, in_follow_up, resolved, all.
        group.MapGet("/", async (string? status, string? patientId, int? limit, ClaimsPrincipal user,
            IPatientRepository patients, IAlertStore alerts, CancellationToken ct) =>
        {
            var team = (await patients.ListAsync(user.TeamId(), ct)).ToDictionary(p => p.Id);
            if (patientId is not null && !team.ContainsKey(patientId))
            {
                return PatientEndpoints.NotFound(patientId);
            }
            AlertQuery query;
            var take = Math.Clamp(limit ?? 200, 1, 1000);
            switch (status ?? "active")
            {
                case "active": query = new AlertQuery(patientId, ActiveOnly: true, Limit: take); break;
                case "all": query = new AlertQuery(patientId, Limit: take); break;
                case var named when WireNames.TryParse<AlertCaseStatus>(named, out var wanted):
                    query = new AlertQuery(patientId, Status: wanted, Limit: take);
                    break;
                default:
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be active, open, acknowledged, in_follow_up, resolved or all."] });
            }
            var found = await alerts.ListAsync(query, ct);
            return Results.Ok(found
                .Where(a => team.ContainsKey(a.PatientId))
                .Select(a => AlertDto.From(a, team[a.PatientId].DisplayName)));
        });

        // What a dashboard missed while disconnected: the team's alert events after the last sequence it saw, in order.
        group.MapGet("/events", async (long? after, int? limit, ClaimsPrincipal user, IPatientRepository patients, IAlertEventLog log, CancellationToken ct) =>
        {
            var team = (await patients.ListAsync(user.TeamId(), ct)).ToDictionary(p => p.Id);
            var events = await log.ReadForTeamAfterAsync(user.TeamId(), Math.Max(0, after ?? 0), Math.Clamp(limit ?? 500, 1, 1000), ct);
            return Results.Ok(events.Select(e => AlertDto.From(e, team.GetValueOrDefault(e.PatientId)?.DisplayName)));
        });

        // The alert's whole history: raised, updated, acknowledged (who, when) ...
        group.MapGet("/{id:guid}/events", async (Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, IAlertEventLog log, CancellationToken ct) =>
        {
            var alert = await alerts.GetAsync(id, ct);
            var patient = alert is null ? null : await PatientEndpoints.FindInTeamAsync(alert.PatientId, user, patients, ct);
            if (patient is null)
            {
                return NotFound(id);
            }
            return Results.Ok((await log.ForAlertAsync(id, ct)).Select(e => AlertDto.From(e, patient.DisplayName)));
        });

        group.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, CancellationToken ct) =>
        {
            var alert = await alerts.GetAsync(id, ct);
            var patient = alert is null ? null : await PatientEndpoints.FindInTeamAsync(alert.PatientId, user, patients, ct);
            return patient is null ? NotFound(id) : Results.Ok(AlertDto.From(alert!, patient.DisplayName));
        });

        group.MapPost("/{id:guid}/acknowledge", async (Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, AlertEngine engine, CancellationToken ct) =>
        {
            var alert = await alerts.GetAsync(id, ct);
            var patient = alert is null ? null : await PatientEndpoints.FindInTeamAsync(alert.PatientId, user, patients, ct);
            if (patient is null)
            {
                return NotFound(id);
            }
            var acknowledged = await engine.AcknowledgeAsync(id, user.Username(), ct);
            return acknowledged is null ? NotFound(id) : Results.Ok(AlertDto.From(acknowledged, patient.DisplayName));
        });
        return app;
    }

    private static IResult NotFound(Guid id) => Results.Problem(statusCode: 404, title: $"No alert {id} in your team");
}
