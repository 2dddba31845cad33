using System.Security.Claims;
using Telehealth.Alerts.Caseload;
using Telehealth.Alerts.Domain.Lifecycle;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Storage;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Api;

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").RequireAuthorization().WithTags("Alerts");

        // status: active (default: open, or acknowledged while the condition lasts), open, acknowledged, all.
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
                case "open": query = new AlertQuery(patientId, Status: AlertStatus.Open, Limit: take); break;
                case "acknowledged": query = new AlertQuery(patientId, Status: AlertStatus.Acknowledged, Limit: take); break;
                case "all": query = new AlertQuery(patientId, Limit: take); break;
                default:
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be active, open, acknowledged or all."] });
            }
            var found = await alerts.ListAsync(query, ct);
            return Results.Ok(found
                .Where(a => team.ContainsKey(a.PatientId))
                .Select(a => AlertDto.From(a, team[a.PatientId].DisplayName)));
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
