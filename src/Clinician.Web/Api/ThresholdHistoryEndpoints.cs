using System.Security.Claims;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Audit;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// The thresholds in force at each time over a range, so a chart shades each reading's band with the limits that
/// judged it, not today's: a reading inside today's band may have been outside the band of its day, and its alert
/// only makes sense against that band.
/// </summary>
public static class ThresholdHistoryEndpoints
{
    /// <param name="From">When this set came into force, or the start of the range if earlier.</param>
    /// <param name="To">When the next set replaced it, or null while it is still in force.</param>
    public sealed record ThresholdPeriodDto(DateTimeOffset From, DateTimeOffset? To, IReadOnlyList<PatientEndpoints.ThresholdDto> Effective);

    public static IEndpointRouteBuilder MapThresholdHistoryEndpoints(this IEndpointRouteBuilder app)
    {
        // from/to default to the last 7 days; every set in force at some moment of the range, oldest first.
        app.MapGet("/api/patients/{id}/thresholds/history", async (string id, DateTimeOffset? from, DateTimeOffset? to, ClaimsPrincipal user,
            IPatientRepository patients, IThresholdRepository thresholds, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var end = to ?? time.GetUtcNow();
            var start = from ?? end.AddDays(-7);
            if (start > end)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["from must be before to."] });
            }
            var timeline = await thresholds.GetTimelineAsync(id, ct);
            var sets = timeline.Sets;
            var periods = new List<ThresholdPeriodDto>();
            // The set in force at the start (the defaults when nothing was set before it), then every later change up to the end.
            var firstLater = sets.Count(s => s.From <= start);
            DateTimeOffset? NextChange(int index) => index < sets.Count ? sets[index].From : null;
            periods.Add(new ThresholdPeriodDto(start, NextChange(firstLater), [.. timeline.At(start).All.Select(PatientEndpoints.ToDto)]));
            for (var i = firstLater; i < sets.Count && sets[i].From <= end; i++)
            {
                periods.Add(new ThresholdPeriodDto(sets[i].From, NextChange(i + 1), [.. sets[i].Set.All.Select(PatientEndpoints.ToDto)]));
            }
            return Results.Ok(periods);
        })
        .Requires(StaffPermission.ViewCaseload)
        .Audited(AuditAction.View, AuditSubject.PatientRoute)
        .WithTags("Patients");
        return app;
    }
}
