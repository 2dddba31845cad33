using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Contracts.Evaluation;
using System.Text.Json;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using Telehealth.CareRecord.Caseload;
using Telehealth.Contracts.Events;

namespace Telehealth.Clinician.Web.Api;

public static class PatientEndpoints
{
    public sealed record CreatePatientRequest(
        string? DisplayName, string? NhsNumber, DateOnly? DateOfBirth, int? News2Scale, bool? OnSupplementalOxygen, string? TeamId = null);

    public sealed record PatientDto(
        string Id, string DisplayName, string? NhsNumber, DateOnly? DateOfBirth, int News2Scale, bool? OnSupplementalOxygen, string TeamId, DateTimeOffset CreatedAt,
        PatientContactEndpoints.PatientContactsDto? Contacts = null);

    /// <param name="OnSupplementalOxygen">Required, and may be null: true oxygen, false air, null not known. A JSON element so that
    /// "left out" (refused) can be told from "null" (not known).</param>
    public sealed record CareSettingsRequest(int? News2Scale, JsonElement OnSupplementalOxygen, string? Reason);

    public sealed record CareSettingsChangeDto(
        int Sequence, DateTimeOffset ChangedAt, string ChangedBy, string Reason,
        int PreviousNews2Scale, bool? PreviousOnSupplementalOxygen, int News2Scale, bool? OnSupplementalOxygen);

    public sealed record ThresholdDto(string Kind, string? Unit, double? CriticalLow, double? Low, double? High, double? CriticalHigh);

    public sealed record ThresholdsRequest(IReadOnlyList<ThresholdDto>? Thresholds);

    public sealed record ThresholdsResponse(IReadOnlyList<ThresholdDto> Overrides, IReadOnlyList<ThresholdDto> Effective);

    public sealed record ReadingDto(string Kind, double Value, string Unit, DateTimeOffset DeviceTime, DateTimeOffset ReceivedAt, string DeviceId);

    public static IEndpointRouteBuilder MapPatientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients").Requires(StaffPermission.ViewCaseload).Audited(AuditAction.View, AuditSubject.PatientRoute).WithTags("Patients");

        group.MapPost("/", async (CreatePatientRequest request, ClaimsPrincipal user, IPatientRepository patients, ITeamStore teams, TimeProvider time, CancellationToken ct) =>
        {
            // A person belongs to the team of whoever adds them, or to teamId: any known team for admins, only their own for others.
            var teamId = string.IsNullOrWhiteSpace(request.TeamId) ? user.TeamId() : request.TeamId.Trim();
            if (teamId != user.TeamId())
            {
                if (!user.IsAdmin())
                {
                    return user.Refuse(StaffPermission.ManageTeams, $"Only admins may add a person to another team than their own ({user.TeamId()}).");
                }
                if (!await teams.ExistsAsync(teamId, ct))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["teamId"] = [$"Unknown team '{teamId}'."] });
                }
            }
            var scale = request.News2Scale ?? 1;
            if (scale is not (1 or 2))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["news2Scale"] = ["news2Scale must be 1 or 2."] });
            }
            var record = new PatientRecord(
                PatientIds.New(), request.DisplayName?.Trim() ?? string.Empty, request.NhsNumber, request.DateOfBirth,
                (News2Scale)scale, request.OnSupplementalOxygen, teamId, time.GetUtcNow());
            var problems = record.Validate(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["patient"] = [.. problems] });
            }
            return await patients.CreateAsync(record, ct) switch
            {
                PatientCreateResult.Created => Results.Created($"/api/patients/{record.Id}", new { id = record.Id }),
                PatientCreateResult.DuplicateNhsNumber => Results.Problem(statusCode: 409, title: "A patient with this NHS number is already in your team's caseload"),
                _ => Results.Problem(statusCode: 409, title: "Patient id clash; try again"),
            };
        }).Requires(StaffPermission.RegisterPatients).Audited(AuditAction.Create, AuditSubject.CreatedPatient);

        group.MapGet("/", async (ClaimsPrincipal user, IPatientRepository patients, CancellationToken ct) =>
            Results.Ok((await patients.ListAsync(user.TeamId(), ct)).Select(ToDto)));

        // The person's record carries their phones and contacts (the caseload list does not).
        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, IPatientRepository patients, IPatientContactStore contacts, CancellationToken ct) =>
            await FindInTeamAsync(id, user, patients, ct) is { } patient
                ? Results.Ok(ToDto(patient) with { Contacts = PatientContactEndpoints.ToDto(await contacts.GetAsync(id, ct)) })
                : NotFound(id));

        // Scale and oxygen change how every later NEWS2 is scored: a change names its reason and is kept with who and when.
        group.MapPut("/{id}/care-settings", async (string id, CareSettingsRequest request, ClaimsPrincipal user, IPatientRepository patients,
            IEvaluationSignal evaluation, TimeProvider time, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
            }
            var problems = new Dictionary<string, string[]>();
            if (request.News2Scale is not (1 or 2))
            {
                problems["news2Scale"] = ["news2Scale is required: 1, or 2 for documented hypercapnic respiratory failure."];
            }
            bool? oxygen = null;
            switch (request.OnSupplementalOxygen.ValueKind)
            {
                case JsonValueKind.True:
                    oxygen = true;
                    break;
                case JsonValueKind.False:
                    oxygen = false;
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    problems["onSupplementalOxygen"] = ["onSupplementalOxygen is required: true (oxygen), false (air) or null (not known)."];
                    break;
            }
            var update = new CareSettingsUpdate((News2Scale)(request.News2Scale ?? 1), oxygen, user.Username(), request.Reason?.Trim() ?? string.Empty, time.GetUtcNow());
            if (update.Validate().Where(problem => problem.StartsWith("reason", StringComparison.Ordinal)).ToArray() is { Length: > 0 } reasonProblems)
            {
                problems["reason"] = reasonProblems;
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems);
            }
            if (await patients.UpdateCareSettingsAsync(id, update, ct) is not { } updated)
            {
                return NotFound(id);
            }
            // The change was queued for re-scoring with it (same transaction): wake the worker now.
            evaluation.Notify();
            return Results.Ok(ToDto(updated));
        }).Requires(StaffPermission.ChangeClinicalSettings).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        group.MapGet("/{id}/care-settings/history", async (string id, ClaimsPrincipal user, IPatientRepository patients, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
            }
            var changes = await patients.GetCareSettingsHistoryAsync(id, ct);
            return Results.Ok(changes.Select(c => new CareSettingsChangeDto(
                c.Sequence, c.ChangedAt, c.ChangedBy, c.Reason, (int)c.PreviousScale, c.PreviousOnSupplementalOxygen, (int)c.News2Scale, c.OnSupplementalOxygen)));
        });

        group.MapGet("/{id}/thresholds", async (string id, ClaimsPrincipal user, IPatientRepository patients, IThresholdRepository thresholds, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
            }
            return Results.Ok(await ThresholdsOfAsync(id, thresholds, ct));
        });

        group.MapPut("/{id}/thresholds", async (string id, ThresholdsRequest request, ClaimsPrincipal user, IPatientRepository patients, IThresholdRepository thresholds, TimeProvider time, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
            }
            var problems = new List<string>();
            var overrides = new List<VitalThreshold>();
            foreach (var dto in request.Thresholds ?? [])
            {
                if (!VitalKinds.TryParseWireName(dto.Kind, out var kind))
                {
                    problems.Add($"Unknown kind '{dto.Kind}'. Known: {string.Join(", ", VitalKinds.All.Select(k => k.WireName()))}.");
                    continue;
                }
                if (overrides.Any(o => o.Kind == kind))
                {
                    problems.Add($"{dto.Kind} is given twice.");
                    continue;
                }
                if (!TryToCanonical(kind, dto, out var threshold, out var unitProblem))
                {
                    problems.Add(unitProblem);
                    continue;
                }
                // Plausibility and order are judged in the canonical unit, after conversion.
                problems.AddRange(threshold.Validate());
                overrides.Add(threshold);
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["thresholds"] = [.. problems] });
            }
            await thresholds.SetOverridesAsync(id, overrides, user.Username(), time.GetUtcNow(), ct);
            return Results.Ok(await ThresholdsOfAsync(id, thresholds, ct));
        }).Requires(StaffPermission.ChangeClinicalSettings).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        group.MapGet("/{id}/readings", async (string id, string? kind, DateTimeOffset? from, DateTimeOffset? to, int? limit,
            ClaimsPrincipal user, IPatientRepository patients, IReadingStore readings, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
            }
            VitalKind? parsedKind = null;
            if (!string.IsNullOrEmpty(kind))
            {
                if (!VitalKinds.TryParseWireName(kind, out var k))
                {
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [$"Unknown kind '{kind}'."] });
                }
                parsedKind = k;
            }
            if (ListParameters.Refusal(limit, from, to) is { } refusal)
            {
                return refusal;
            }
            var result = await readings.QueryAsync(new ReadingQuery(id, parsedKind, from, to, Math.Clamp(limit ?? 10_000, 1, 100_000)), ct);
            return Results.Ok(result.Select(r => new ReadingDto(r.Kind.WireName(), r.Value, r.Unit, r.DeviceTime, r.ReceivedAt, r.DeviceId)));
        });

        group.MapGet("/{id}/events", async (string id, int? limit, ClaimsPrincipal user, IPatientRepository patients, ITelecareEventStore events, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
            }
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            var recent = await events.RecentForPatientAsync(id, Math.Clamp(limit ?? 100, 1, 1000), ct);
            return Results.Ok(recent.Select(e => new { type = e.Type, e.DeviceId, e.DeviceTime, e.ReceivedAt }));
        });
        return app;
    }

    /// <summary>Patients outside the caller's team are answered as not found: their existence is not disclosed.</summary>
    internal static async Task<PatientRecord?> FindInTeamAsync(string id, ClaimsPrincipal user, IPatientRepository patients, CancellationToken ct)
    {
        var patient = await patients.GetAsync(id, ct);
        return patient is not null && patient.TeamId == user.TeamId() ? patient : null;
    }

    internal static IResult NotFound(string id) => Results.Problem(statusCode: 404, title: $"No patient {id} in your team");

    internal static PatientDto ToDto(PatientRecord p) =>
        new(p.Id, p.DisplayName, p.NhsNumber, p.DateOfBirth, (int)p.News2Scale, p.OnSupplementalOxygen, p.TeamId, p.CreatedAt);

    private static async Task<ThresholdsResponse> ThresholdsOfAsync(string id, IThresholdRepository thresholds, CancellationToken ct)
    {
        var overrides = await thresholds.GetOverridesAsync(id, ct);
        var effective = await thresholds.GetEffectiveAsync(id, ct);
        return new ThresholdsResponse(overrides.Select(ToDto).ToList(), effective.All.Select(ToDto).ToList());
    }

    /// <summary>
    /// Converts a threshold sent in any unit the device API accepts for its kind (<see cref="UnitConverter"/>) to the
    /// canonical unit it is stored and judged in. A missing unit means the canonical one; any other unit is refused,
    /// never guessed: 97 read as °C instead of °F would make every normal temperature an alert.
    /// </summary>
    private static bool TryToCanonical(VitalKind kind, ThresholdDto dto, out VitalThreshold threshold, out string problem)
    {
        var unit = string.IsNullOrEmpty(dto.Unit) ? kind.CanonicalUnit() : dto.Unit;
        if (!UnitConverter.TryToCanonical(kind, unit, 0, out _))
        {
            threshold = null!;
            problem = $"{RejectionReasons.UnknownUnit}: {kind.WireName()}: unit '{UntrustedText.Clip(unit)}' is not accepted; "
                + $"use one of {string.Join(", ", UnitConverter.AcceptedUnits(kind))}.";
            return false;
        }
        double? Convert(double? bound)
        {
            if (bound is not { } value || !double.IsFinite(value))
            {
                return bound; // absent stays absent; a non-finite bound is reported by Validate
            }
            UnitConverter.TryToCanonical(kind, unit, value, out var canonical);
            // Conversion leaves float noise (100.4 °F is 38.000000000000007 °C); six decimals is far finer than any
            // instrument, so rounding changes no judgement and keeps the stored bound readable.
            return Math.Round(canonical, 6, MidpointRounding.AwayFromZero);
        }
        threshold = new VitalThreshold(kind, Convert(dto.CriticalLow), Convert(dto.Low), Convert(dto.High), Convert(dto.CriticalHigh));
        problem = string.Empty;
        return true;
    }

    internal static ThresholdDto ToDto(VitalThreshold t) =>
        new(t.Kind.WireName(), t.Kind.CanonicalUnit(), t.CriticalLow, t.Low, t.High, t.CriticalHigh);
}
