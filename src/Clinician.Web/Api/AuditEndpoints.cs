using System.Globalization;
using System.Security.Claims;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// <c>GET /api/audit?patientId=</c> (fixed route): who viewed or changed a person's record, newest first, paged with
/// <c>before</c>; <c>format=csv</c> exports the same page as CSV. Team leads see their own team's people, admins
/// everyone's.
/// </summary>
public static class AuditEndpoints
{
    public const int MaxPage = 1_000;

    public const int MaxCsvPage = 10_000;

    /// <summary>The cursor for the next (older) page of a CSV export.</summary>
    public const string NextBeforeHeader = "X-Next-Before";

    public sealed record AuditEntryDto(long Sequence, DateTimeOffset At, string Actor, string Role, string PatientId, string TeamId, string Action, string Resource);

    /// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
    public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, long? NextBefore);

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", async (string? patientId, long? before, int? limit, string? format, HttpContext context, ClaimsPrincipal user,
            IPatientRepository patients, IAuditLog log, CancellationToken ct) =>
        {
            var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
            if (format is not null && !csv && !string.Equals(format, "json", StringComparison.OrdinalIgnoreCase))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be json or csv."] });
            }
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            // Admins read every team's audit; a team lead only their own team's people.
            var team = user.IsAdmin() ? null : user.TeamId();
            if (!string.IsNullOrWhiteSpace(patientId) && team is not null && await PatientEndpoints.FindInTeamAsync(patientId, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(patientId);
            }
            var size = Math.Clamp(limit ?? 100, 1, csv ? MaxCsvPage : MaxPage);
            var page = await log.QueryAsync(new AuditQuery(team, string.IsNullOrWhiteSpace(patientId) ? null : patientId, before, size), ct);
            long? next = page.Count == size ? page[^1].Sequence : null;
            if (csv)
            {
                if (next is { } cursor)
                {
                    context.Response.Headers[NextBeforeHeader] = cursor.ToString(CultureInfo.InvariantCulture);
                }
                context.Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
                return Results.Text(AuditCsv.Format(page), "text/csv; charset=utf-8");
            }
            return Results.Ok(new AuditPage(page.Select(e => new AuditEntryDto(e.Sequence!.Value, e.At, e.Actor, e.Role, e.PatientId, e.TeamId,
                WireNames.Of(e.Action), e.Resource)).ToList(), next));
        }).Requires(StaffPermission.ReadAudit).WithTags("Audit");
        return app;
    }
}
