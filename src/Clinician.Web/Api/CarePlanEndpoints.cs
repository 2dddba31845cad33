using System.Globalization;
using System.Security.Claims;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.CarePlans;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Audit;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;
using Telehealth.Contracts.Diagnostics;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// A person's goals and care plan: read by everyone on the team, changed by clinicians only, each change with its
/// reason and kept as a version (<see cref="CarePlanEditor"/> judges; <see cref="ICarePlanStore"/> keeps). A change
/// made from an older version than the one stored answers 409, so two clinicians cannot overwrite each other.
/// </summary>
public static class CarePlanEndpoints
{
    public sealed record GoalRequest(string? Description, string? TargetMeasure, DateOnly? TargetDate, string? Status, string? Reason, int? Version);

    public sealed record ActivityDto(string Description, string Schedule, string Performer);

    public sealed record ActivitiesRequest(List<ActivityDto>? Activities, string? Reason, int? Version);

    public sealed record GoalDto(
        Guid Id, string Description, string? TargetMeasure, string? TargetDate, string Status, int Version,
        DateTimeOffset CreatedAt, DateTimeOffset StatusChangedAt, DateTimeOffset ChangedAt, string ChangedBy, string Reason);

    public sealed record CarePlanDto(
        string PatientId, int Version, IReadOnlyList<GoalDto> Goals, IReadOnlyList<ActivityDto> Activities,
        DateTimeOffset? ChangedAt, string? ChangedBy, string? Reason);

    public sealed record CarePlanRevisionDto(int Sequence, string Kind, Guid? GoalId, int? GoalVersion, string Summary, DateTimeOffset ChangedAt, string ChangedBy, string Reason);

    public static IEndpointRouteBuilder MapCarePlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients").Requires(StaffPermission.ViewCaseload).WithTags("Goals and care plan");

        group.MapGet("/{id}/care-plan", async (string id, ClaimsPrincipal user, IPatientRepository patients, ICarePlanStore plans, CancellationToken ct) =>
            await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null
                ? PatientEndpoints.NotFound(id)
                : Results.Ok(ToDto(await plans.GetAsync(id, ct))))
            .Audited(AuditAction.View, AuditSubject.PatientRoute);

        group.MapPost("/{id}/care-plan/goals", async (string id, GoalRequest request, ClaimsPrincipal user, IPatientRepository patients,
            ICarePlanStore plans, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            if (Draft(request) is not { } draft)
            {
                return StatusProblem(request.Status);
            }
            var goalId = Guid.NewGuid();
            var current = await plans.GetAsync(id, ct);
            var edit = CarePlanEditor.AddGoal(current, goalId, draft, Change(user, request.Reason, time));
            return await SaveAsync(edit, plans, ct) ?? Results.Created($"/api/patients/{id}/care-plan/goals/{goalId}", ToDto((await plans.GetGoalAsync(goalId, ct))!));
        }).Requires(StaffPermission.ChangeClinicalSettings).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        group.MapPut("/{id}/care-plan/goals/{goalId:guid}", async (string id, Guid goalId, GoalRequest request, ClaimsPrincipal user, IPatientRepository patients,
            ICarePlanStore plans, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            if (request.Version is not { } version)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["version is required: the goal version the change was made from."] });
            }
            if (Draft(request) is not { } draft)
            {
                return StatusProblem(request.Status);
            }
            var edit = CarePlanEditor.ChangeGoal(await plans.GetAsync(id, ct), goalId, version, draft, Change(user, request.Reason, time));
            if (edit.Outcome == CarePlanEditOutcome.NotFound)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Goal not found", detail: $"Goal {goalId} is not one of this person's goals.");
            }
            return await SaveAsync(edit, plans, ct) ?? Results.Ok(ToDto((await plans.GetGoalAsync(goalId, ct))!));
        }).Requires(StaffPermission.ChangeClinicalSettings).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        group.MapPut("/{id}/care-plan/activities", async (string id, ActivitiesRequest request, ClaimsPrincipal user, IPatientRepository patients,
            ICarePlanStore plans, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            if (request.Version is not { } version)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["version is required: the care plan version the change was made from (0 for a first plan)."] });
            }
            var activities = (request.Activities ?? []).Select(a => new CareActivity(a.Description ?? "", a.Schedule ?? "", a.Performer ?? "")).ToList();
            var edit = CarePlanEditor.ReplaceActivities(await plans.GetAsync(id, ct), version, activities, Change(user, request.Reason, time));
            return await SaveAsync(edit, plans, ct) ?? Results.Ok(ToDto(await plans.GetAsync(id, ct)));
        }).Requires(StaffPermission.ChangeClinicalSettings).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        group.MapGet("/{id}/care-plan/history", async (string id, ClaimsPrincipal user, IPatientRepository patients, ICarePlanStore plans, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var history = await plans.GetHistoryAsync(id, ct);
            return Results.Ok(history.Select(r => new CarePlanRevisionDto(r.Sequence, WireNames.Of(r.Kind), r.GoalId, r.GoalVersion, r.Summary,
                r.Change.At, r.Change.ChangedBy, r.Change.Reason)));
        }).Audited(AuditAction.View, AuditSubject.PatientRoute);
        return app;
    }

    /// <summary>Null when the edit was stored (the caller answers with what was stored); otherwise the answer why not.</summary>
    private static async Task<IResult?> SaveAsync(CarePlanEdit edit, ICarePlanStore plans, CancellationToken ct)
    {
        switch (edit.Outcome)
        {
            case CarePlanEditOutcome.Invalid:
                return Results.ValidationProblem(edit.Problems);
            case CarePlanEditOutcome.Conflict:
                return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile", detail: edit.Problems["version"][0]);
            case CarePlanEditOutcome.NotFound:
                return Results.NotFound();
        }
        return await plans.SaveAsync(edit.Next!, edit.Revision!, ct)
            ? null
            : Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile",
                detail: "Someone changed this person's care plan at the same moment; reload and try again.");
    }

    private static GoalDraft? Draft(GoalRequest request) =>
        WireNames.TryParse<GoalStatus>(request.Status, out var status)
            ? new GoalDraft(request.Description ?? "", request.TargetMeasure, request.TargetDate, status)
            : null;

    private static IResult StatusProblem(string? status) => Results.ValidationProblem(new Dictionary<string, string[]>
    {
        ["status"] = [$"status '{UntrustedText.Clip(status ?? string.Empty)}' is not one of proposed, active, achieved, cancelled."],
    });

    private static CarePlanChange Change(ClaimsPrincipal user, string? reason, TimeProvider time) => new(user.Username(), reason ?? string.Empty, time.GetUtcNow());

    public static GoalDto ToDto(CareGoal goal) => new(
        goal.Id, goal.Description, goal.TargetMeasure, goal.TargetDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), WireNames.Of(goal.Status),
        goal.Version, goal.CreatedAt, goal.StatusChangedAt, goal.LastChange.At, goal.LastChange.ChangedBy, goal.LastChange.Reason);

    private static CarePlanDto ToDto(CarePlanRecord plan) => new(
        plan.PatientId, plan.Version, [.. plan.Goals.Select(ToDto)], [.. plan.Activities.Select(a => new ActivityDto(a.Description, a.Schedule, a.Performer))],
        plan.LastChange?.At, plan.LastChange?.ChangedBy, plan.LastChange?.Reason);
}
