using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Staff;
using System.Security.Claims;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Clinician.Web.Api;

public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").Requires(StaffPermission.ViewCaseload).Audited(AuditAction.View, AuditSubject.AlertRoute).WithTags("Alerts");
        var work = group.MapGroup("").Requires(StaffPermission.WorkAlerts).Audited(AuditAction.Change, AuditSubject.AlertRoute);

        // status: active (default: every alert not resolved), open, acknowledged, in_follow_up, resolved, all.
        group.MapGet("/", async (string? status, string? patientId, int? limit, ClaimsPrincipal user,
            IPatientRepository patients, IAlertStore alerts, CancellationToken ct) =>
        {
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            var team = (await patients.ListAsync(user.TeamId(), ct)).ToDictionary(p => p.Id);
            if (patientId is not null && !team.ContainsKey(patientId))
            {
                return PatientEndpoints.NotFound(patientId);
            }
            AlertQuery query;
            var take = Math.Clamp(limit ?? 200, 1, 1000);
            switch (status ?? "active")
            {
                // The team is part of the query: the newest `limit` of this team's alerts, never a page of everyone's filtered after.
                case "active": query = new AlertQuery(patientId, ActiveOnly: true, Limit: take, TeamId: user.TeamId()); break;
                case "all": query = new AlertQuery(patientId, Limit: take, TeamId: user.TeamId()); break;
                case var named when WireNames.TryParse<AlertCaseStatus>(named, out var wanted):
                    query = new AlertQuery(patientId, Status: wanted, Limit: take, TeamId: user.TeamId());
                    break;
                default:
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be active, open, acknowledged, in_follow_up, resolved or all."] });
            }
            var found = await alerts.ListAsync(query, ct);
            return Results.Ok(found.Select(a => AlertDto.From(a, team.GetValueOrDefault(a.PatientId))));
        }).Audited(AuditAction.View, AuditSubject.PatientQuery, "patientId");

        // What a dashboard missed while disconnected: the team's alert events after the last sequence it saw, in order.
        group.MapGet("/events", async (long? after, int? limit, ClaimsPrincipal user, IPatientRepository patients, IAlertEventLog log, CancellationToken ct) =>
        {
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            var team = (await patients.ListAsync(user.TeamId(), ct)).ToDictionary(p => p.Id);
            var events = await log.ReadForTeamAfterAsync(user.TeamId(), Math.Max(0, after ?? 0), Math.Clamp(limit ?? 500, 1, 1000), ct);
            return Results.Ok(events.Select(e => AlertDto.From(e, team.GetValueOrDefault(e.PatientId))));
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
            return Results.Ok((await log.ForAlertAsync(id, ct)).Select(e => AlertDto.From(e, patient)));
        });

        group.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, CancellationToken ct) =>
        {
            var alert = await alerts.GetAsync(id, ct);
            var patient = alert is null ? null : await PatientEndpoints.FindInTeamAsync(alert.PatientId, user, patients, ct);
            return patient is null ? NotFound(id) : Results.Ok(AlertDto.From(alert!, patient));
        });

        // Staff actions: each is team-scoped, records an event with the caller as actor, and answers with the alert
        // as it now is, or ProblemDetails with a reason code (409 when the alert's state or owner forbids it).
        work.MapPost("/{id:guid}/acknowledge", (Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, AlertEngine engine, CancellationToken ct) =>
            ActAsync(id, user, patients, alerts, () => engine.AcknowledgeAsync(id, user.Username(), ct), ct));

        work.MapPost("/{id:guid}/assign", async (Guid id, AssignAlertRequest? request, ClaimsPrincipal user, IPatientRepository patients,
            IAlertStore alerts, StaffDirectory staff, AlertEngine engine, CancellationToken ct) =>
        {
            var to = request?.To?.Trim();
            if (string.IsNullOrEmpty(to) || !await staff.IsInTeamAsync(to, user.TeamId(), ct))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["to must be the username of a member of your team."] });
            }
            return await ActAsync(id, user, patients, alerts, () => engine.AssignAsync(id, user.Username(), to, request!.ExpectedOwner, ct), ct);
        });

        work.MapPost("/{id:guid}/follow-up", (Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, AlertEngine engine, CancellationToken ct) =>
            ActAsync(id, user, patients, alerts, () => engine.StartFollowUpAsync(id, user.Username(), ct), ct));

        work.MapPost("/{id:guid}/resolve", async (Guid id, ResolveAlertRequest? request, ClaimsPrincipal user, IPatientRepository patients,
            IAlertStore alerts, AlertEngine engine, CancellationToken ct) =>
        {
            if (!WireNames.TryParse<AlertOutcome>(request?.Outcome, out var outcome))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["outcome"] = ["outcome must be action_taken, no_action_needed, referred_to_partner or false_alarm."],
                });
            }
            if (request!.Note is { Length: > MaxNoteLength })
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [$"note is at most {MaxNoteLength} characters."] });
            }
            return await ActAsync(id, user, patients, alerts, () => engine.ResolveAsync(id, user.Username(), outcome, request.Note, ct), ct);
        });

        work.MapPost("/{id:guid}/snooze", (Guid id, SnoozeAlertRequest? request, ClaimsPrincipal user, IPatientRepository patients,
            IAlertStore alerts, AlertEngine engine, TimeProvider time, CancellationToken ct) =>
            ActAsync(id, user, patients, alerts, () => engine.SnoozeAsync(id, user.Username(), time.GetUtcNow().AddMinutes(request?.Minutes ?? 0), ct), ct));

        // Ends the caller's snooze, or a colleague's with ?staff= (a snooze must never hide an alert from the team).
        work.MapDelete("/{id:guid}/snooze", (Guid id, string? staff, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts,
            AlertEngine engine, CancellationToken ct) =>
            ActAsync(id, user, patients, alerts, () => engine.UnsnoozeAsync(id, user.Username(), string.IsNullOrWhiteSpace(staff) ? user.Username() : staff.Trim(), ct), ct));
        return app;
    }

    private const int MaxNoteLength = 1000;

    private static IResult NotFound(Guid id) => Results.Problem(statusCode: 404, title: $"No alert {id} in your team");

    internal static async Task<IResult> ActAsync(Guid id, ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts,
        Func<Task<StaffActionResult>> act, CancellationToken ct)
    {
        var alert = await alerts.GetAsync(id, ct);
        var patient = alert is null ? null : await PatientEndpoints.FindInTeamAsync(alert.PatientId, user, patients, ct);
        if (patient is null)
        {
            return NotFound(id);
        }
        var result = await act();
        return result switch
        {
            { Alert: null } => NotFound(id),
            { Refused: StaffActionResult.TakenByAnother, Owner: var owner } => Results.Problem(statusCode: 409,
                title: $"Alert {id} is already taken by {owner}",
                extensions: new Dictionary<string, object?> { ["code"] = StaffActionResult.TakenByAnother, ["owner"] = owner }),
            { Refused: AlertRefusals.AlertResolved or AlertRefusals.NotSnoozed } => Results.Problem(statusCode: 409,
                title: result.Refused == AlertRefusals.AlertResolved ? $"Alert {id} is resolved" : "No snooze of that person is in force",
                extensions: new Dictionary<string, object?> { ["code"] = result.Refused }),
            { Refused: { } code } => Results.Problem(statusCode: 400, title: RefusalTitle(code),
                extensions: new Dictionary<string, object?> { ["code"] = code }),
            _ => Results.Ok(AlertDto.From(result.Alert, patient)),
        };
    }

    private static string RefusalTitle(string code) => code switch
    {
        AlertRefusals.OutcomeReserved => "auto_cleared is recorded by the platform only",
        AlertRefusals.SnoozeNotInFuture => "minutes must be 1 or more",
        AlertRefusals.SnoozeTooLong => "A snooze is at most 120 minutes",
        _ => code,
    };
}
