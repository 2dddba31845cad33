using System.Security.Claims;
using Telehealth.Alerts.Engine;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.FollowUp;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Audit;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Telephone follow-up: <c>GET /api/worklist</c> (the team's alerts that need a call, soonest due first) and
/// <c>POST /api/alerts/{id}/calls</c> (one attempt, recorded as an alert event and kept in the alert).
/// </summary>
public static class WorklistEndpoints
{
    /// <summary>Most not-resolved alerts of a team the worklist looks at (the team is in the query).</summary>
    public const int MaxAlerts = 10_000;

    public sealed record WorklistPerson(
        string Id, string Name, string? NhsNumber, DateOnly? DateOfBirth,
        IReadOnlyList<PatientContactEndpoints.PhoneDto> Phones, IReadOnlyList<PatientContactEndpoints.ContactDto> Contacts);

    public sealed record CallDto(int Number, DateTimeOffset At, string By, string Outcome, IReadOnlyList<string> Actions, string? Notes, DateTimeOffset? RetryAt, bool Escalated);

    /// <param name="Kind">vital, news2, telecare_event, missing_data or other.</param>
    /// <param name="FirstCallDue">Raised time plus the time-to-first-call target for its severity.</param>
    /// <param name="NextCallAt">When a call is due now: the first-call target, the retry time after an unreached call, or null once the person was reached.</param>
    /// <param name="Attempts">Calls made so far.</param>
    public sealed record WorklistItem(
        Guid AlertId, WorklistPerson Person, string Kind, string Condition, string Severity, string Status, string Reason,
        DateTimeOffset RaisedAt, DateTimeOffset FirstCallDue, DateTimeOffset? NextCallAt, bool Overdue, int Attempts,
        string? LastOutcome, string? Owner, string CallGuide, IReadOnlyList<CallDto> Calls);

    public sealed record CallRequest(string? Outcome, IReadOnlyList<string>? Actions, string? Notes);

    public static IEndpointRouteBuilder MapWorklistEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/worklist", async (ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, IPatientContactStore contacts,
            CallPolicy policy, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var open = await alerts.ListAsync(new AlertQuery(ActiveOnly: true, Limit: MaxAlerts, TeamId: user.TeamId()), ct);
            var needing = open.Where(FollowUpCalls.NeedsCall).ToList();
            var people = (await patients.ListAsync(user.TeamId(), ct)).ToDictionary(p => p.Id);
            var reach = await contacts.GetManyAsync(needing.Select(a => a.PatientId).Distinct().ToList(), ct);
            var items = needing
                .Where(a => people.ContainsKey(a.PatientId))
                .Select(a => ToItem(a, people[a.PatientId], reach.GetValueOrDefault(a.PatientId) ?? PatientContacts.None, policy, now))
                .OrderBy(i => i.NextCallAt ?? DateTimeOffset.MaxValue)
                .ThenByDescending(i => i.Severity switch { "critical" => 3, "high" => 2, "medium" => 1, _ => 0 })
                .ThenBy(i => i.RaisedAt)
                .ToList();
            return Results.Ok(items);
        }).Requires(StaffPermission.ViewCaseload).WithTags("Worklist");

        app.MapPost("/api/alerts/{id:guid}/calls", async (Guid id, CallRequest? request, ClaimsPrincipal user, IPatientRepository patients,
            IAlertStore alerts, AlertEngine engine, CallPolicy policy, CancellationToken ct) =>
        {
            var problems = new Dictionary<string, string[]>();
            if (!WireNames.TryParse<CallOutcome>(request?.Outcome, out var outcome))
            {
                problems["outcome"] = ["outcome must be reached, no_answer, wrong_number or busy."];
            }
            var actions = new List<CallAction>();
            foreach (var name in request?.Actions ?? [])
            {
                if (CallActions.TryParse(name, out var action))
                {
                    actions.Add(action);
                }
                else
                {
                    problems["actions"] = [.. problems.GetValueOrDefault("actions") ?? [], $"Unknown action '{name}'. Known: {string.Join(", ", CallActions.All)}."];
                }
            }
            if (request?.Notes is { Length: > FollowUpCalls.MaxNotesLength })
            {
                problems["notes"] = [$"notes is at most {FollowUpCalls.MaxNotesLength} characters."];
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems);
            }
            return await AlertEndpoints.ActAsync(id, user, patients, alerts,
                () => engine.RecordCallAsync(id, user.Username(), outcome, actions, request!.Notes, policy, ct), ct);
        }).Requires(StaffPermission.ViewCaseload).Requires(StaffPermission.WorkAlerts)
            .Audited(AuditAction.Change, AuditSubject.AlertRoute).WithTags("Worklist");
        return app;
    }

    public static string KindOf(string conditionKey) => conditionKey switch
    {
        _ when FollowUpCalls.IsMissingData(conditionKey) => "missing_data",
        _ when conditionKey.StartsWith("event:", StringComparison.Ordinal) => "telecare_event",
        _ when conditionKey.StartsWith("threshold:", StringComparison.Ordinal) || conditionKey.StartsWith("duration:", StringComparison.Ordinal) => "vital",
        CareRecord.Rules.ConditionKeys.News2 => "news2",
        _ => "other",
    };

    public static CallDto ToDto(CallAttempt call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new(call.Number, call.At, call.By, WireNames.Of(call.Outcome), call.Actions.Select(CallActions.Of).ToList(), call.Notes, call.RetryAt, call.Escalated);
    }

    private static WorklistItem ToItem(AlertCase alert, PatientRecord person, PatientContacts reach, CallPolicy policy, DateTimeOffset now)
    {
        var next = FollowUpCalls.NextCallDue(alert, policy);
        var contacts = PatientContactEndpoints.ToDto(reach);
        return new WorklistItem(
            alert.Id,
            new WorklistPerson(person.Id, person.DisplayName, person.NhsNumber, person.DateOfBirth, contacts.Phones!, contacts.Contacts!),
            KindOf(alert.ConditionKey),
            alert.ConditionKey,
            alert.Severity.ToString().ToLowerInvariant(),
            WireNames.Of(alert.Status),
            alert.Reason,
            alert.RaisedAt,
            FollowUpCalls.FirstCallDue(alert, policy),
            next,
            next is { } due && due <= now,
            alert.Calls?.Count ?? 0,
            alert.Calls is { Count: > 0 } calls ? WireNames.Of(calls[^1].Outcome) : null,
            AlertEngine.OwnerOf(alert),
            CallGuides.For(alert.ConditionKey),
            (alert.Calls ?? []).Select(ToDto).ToList());
    }
}
