using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Contracts.Evaluation;
using System.Security.Claims;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Rejections;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Observations staff record by hand: today ACVPU consciousness, the NEWS2 parameter no home device measures.
/// </summary>
public static class ObservationEndpoints
{
    /// <summary>How far ahead of the server clock an observation time may be (the device API's limit too).</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromMinutes(5);

    /// <summary>How far back a late entry may be recorded.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(365);

    public sealed record ObservationRequest(string? Kind, string? Value, DateTimeOffset? ObservedAt);

    public sealed record ObservationDto(string Kind, string Value, DateTimeOffset ObservedAt, DateTimeOffset ReceivedAt, string Source, string SourceId);

    /// <summary>The assessment was queued for evaluation with it: wake the worker so NEWS2 is re-scored now.</summary>
    private static IResult Created(IEvaluationSignal evaluation, string location, ObservationDto dto)
    {
        evaluation.Notify();
        return Results.Created(location, dto);
    }

    public static IEndpointRouteBuilder MapObservationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients").Requires(StaffPermission.ViewCaseload).Audited(AuditAction.View, AuditSubject.PatientRoute).WithTags("Observations");
        var record = group.MapGroup("").Requires(StaffPermission.RecordObservations).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        record.MapPost("/{id}/observations", async (string id, ObservationRequest request, ClaimsPrincipal user, IPatientRepository patients,
            IConsciousnessStore consciousness, IEvaluationSignal evaluation, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var now = time.GetUtcNow();
            if (request.Kind != AcvpuLevels.ObservationName)
            {
                return Refused("kind", RejectionReasons.UnknownName, $"kind '{UntrustedText.Clip(request.Kind)}' is not recorded here; use '{AcvpuLevels.ObservationName}'.");
            }
            if (!AcvpuLevels.TryParseWireName(request.Value, out var level))
            {
                return Refused("value", RejectionReasons.UnknownValue,
                    $"value '{UntrustedText.Clip(request.Value)}' is not an ACVPU level; use one of {string.Join(", ", AcvpuLevels.All.Select(l => l.WireName()))}.");
            }
            var observedAt = request.ObservedAt ?? now;
            if (observedAt > now + MaxAhead)
            {
                return Refused("observedAt", RejectionReasons.FutureTimestamp, "observedAt is in the future.");
            }
            if (observedAt < now - MaxAge)
            {
                return Refused("observedAt", RejectionReasons.StaleTimestamp, "observedAt is more than 365 days ago.");
            }
            // Millisecond precision: the identity of an assessment is (person, millisecond), as stored.
            observedAt = DateTimeOffset.FromUnixTimeMilliseconds(observedAt.ToUnixTimeMilliseconds());
            var observation = new ConsciousnessObservation(id, level, observedAt, now, RecordedBy: user.Username());
            return await consciousness.AppendAsync(observation, ct) switch
            {
                ConsciousnessAppendResult.Stored => Created(evaluation, $"/api/patients/{id}/observations", ToDto(observation)),
                ConsciousnessAppendResult.Repeat => Results.Ok(ToDto(observation)),
                _ => Results.Problem(statusCode: 409, title: RejectionReasons.ConflictingDuplicate,
                    detail: "Another consciousness assessment of this person is recorded at the same time; it stands."),
            };
        });

        group.MapGet("/{id}/observations", async (string id, string? kind, int? limit, ClaimsPrincipal user, IPatientRepository patients,
            IConsciousnessStore consciousness, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            if (kind is not null && kind != AcvpuLevels.ObservationName)
            {
                return Refused("kind", RejectionReasons.UnknownName, $"kind must be '{AcvpuLevels.ObservationName}'.");
            }
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            var recent = await consciousness.RecentAsync(id, Math.Clamp(limit ?? 100, 1, 1000), ct);
            return Results.Ok(recent.Select(ToDto));
        });
        return app;
    }

    private static IResult Refused(string field, string reason, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{reason}: {message}"] });

    private static ObservationDto ToDto(ConsciousnessObservation o) =>
        new(AcvpuLevels.ObservationName, o.Level.WireName(), o.ObservedAt, o.ReceivedAt, o.SourceKind, o.SourceId);
}
