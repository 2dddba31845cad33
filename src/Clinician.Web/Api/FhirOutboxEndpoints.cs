using Telehealth.CareRecord.Staff;
using System.Security.Claims;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Fhir.Outbox;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// What the FHIR outbox holds for the caller's team: counts per status and entries with ids, attempts and the
/// server's last answer (its OperationOutcome for a rejection). Never the resource content.
/// </summary>
public static class FhirOutboxEndpoints
{
    public static IEndpointRouteBuilder MapFhirOutboxEndpoints(this IEndpointRouteBuilder app)
    {
        // status: pending (oldest first: the head of the queue), failed or sent (newest first); all statuses when absent.
        app.MapGet("/api/fhir/outbox", async (string? status, int? limit, ClaimsPrincipal user, IPatientRepository patients, IFhirOutbox outbox, CancellationToken ct) =>
        {
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            FhirOutboxStatus? wanted;
            switch (status)
            {
                case null or "": wanted = null; break;
                case "pending": wanted = FhirOutboxStatus.Pending; break;
                case "failed": wanted = FhirOutboxStatus.Failed; break;
                case "sent": wanted = FhirOutboxStatus.Sent; break;
                default:
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be pending, failed or sent."] });
            }
            var team = (await patients.ListAsync(user.TeamId(), ct)).Select(p => p.Id).ToArray();
            var counts = await outbox.CountAsync(team, ct);
            var entries = await outbox.ListAsync(wanted, Math.Clamp(limit ?? 100, 1, 1000), team, ct);
            return Results.Ok(new
            {
                counts = new { pending = counts.Pending, failed = counts.Failed, sent = counts.Sent },
                entries = entries.Select(e => new
                {
                    e.Seq,
                    e.PatientId,
                    e.ResourceType,
                    e.ResourceId,
                    e.Status,
                    e.Attempts,
                    e.LastStatusCode,
                    e.LastError,
                    e.CreatedAt,
                    e.SentAt,
                }),
            });
        }).Requires(StaffPermission.ViewOperations).WithTags("FHIR");
        return app;
    }
}
