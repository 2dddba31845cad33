using System.Security.Claims;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Caseload;
using Telehealth.Alerts.Domain.News2;
using Telehealth.Alerts.Domain.Thresholds;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;

namespace Telehealth.Clinician.Web.Api;

public static class PatientEndpoints
{
    public sealed record CreatePatientRequest(
        string? DisplayName, string? NhsNumber, DateOnly? DateOfBirth, int? News2Scale, bool? OnSupplementalOxygen);

    public sealed record PatientDto(
        string Id, string DisplayName, string? NhsNumber, DateOnly? DateOfBirth, int News2Scale, bool OnSupplementalOxygen, string TeamId, DateTimeOffset CreatedAt);

    public sealed record ThresholdDto(string Kind, string Unit, double? CriticalLow, double? Low, double? High, double? CriticalHigh);

    public sealed record ThresholdsRequest(IReadOnlyList<ThresholdDto>? Thresholds);

    public sealed record ThresholdsResponse(IReadOnlyList<ThresholdDto> Overrides, IReadOnlyList<ThresholdDto> Effective);

    public sealed record ReadingDto(string Kind, double Value, string Unit, DateTimeOffset DeviceTime, DateTimeOffset ReceivedAt, string DeviceId);

    public static IEndpointRouteBuilder MapPatientEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients").RequireAuthorization().WithTags("Patients");

        group.MapPost("/", async (CreatePatientRequest request, ClaimsPrincipal user, IPatientRepository patients, TimeProvider time, CancellationToken ct) =>
        {
            var scale = request.News2Scale ?? 1;
            if (scale is not (1 or 2))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["news2Scale"] = ["news2Scale must be 1 or 2."] });
            }
            var record = new PatientRecord(
                PatientIds.New(), request.DisplayName?.Trim() ?? string.Empty, request.NhsNumber, request.DateOfBirth,
                (News2Scale)scale, request.OnSupplementalOxygen ?? false, user.TeamId(), time.GetUtcNow());
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
        });

        group.MapGet("/", async (ClaimsPrincipal user, IPatientRepository patients, CancellationToken ct) =>
            Results.Ok((await patients.ListAsync(user.TeamId(), ct)).Select(ToDto)));

        group.MapGet("/{id}", async (string id, ClaimsPrincipal user, IPatientRepository patients, CancellationToken ct) =>
            await FindInTeamAsync(id, user, patients, ct) is { } patient ? Results.Ok(ToDto(patient)) : NotFound(id));

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
                var threshold = new VitalThreshold(kind, dto.CriticalLow, dto.Low, dto.High, dto.CriticalHigh);
                problems.AddRange(threshold.Validate());
                overrides.Add(threshold);
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["thresholds"] = [.. problems] });
            }
            await thresholds.SetOverridesAsync(id, overrides, user.Username(), time.GetUtcNow(), ct);
            return Results.Ok(await ThresholdsOfAsync(id, thresholds, ct));
        });

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
            var result = await readings.QueryAsync(new ReadingQuery(id, parsedKind, from, to, Math.Clamp(limit ?? 10_000, 1, 100_000)), ct);
            return Results.Ok(result.Select(r => new ReadingDto(r.Kind.WireName(), r.Value, r.Unit, r.DeviceTime, r.ReceivedAt, r.DeviceId)));
        });

        group.MapGet("/{id}/events", async (string id, int? limit, ClaimsPrincipal user, IPatientRepository patients, ITelecareEventStore events, CancellationToken ct) =>
        {
            if (await FindInTeamAsync(id, user, patients, ct) is null)
            {
                return NotFound(id);
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

    private static PatientDto ToDto(PatientRecord p) =>
        new(p.Id, p.DisplayName, p.NhsNumber, p.DateOfBirth, (int)p.News2Scale, p.OnSupplementalOxygen, p.TeamId, p.CreatedAt);

    private static async Task<ThresholdsResponse> ThresholdsOfAsync(string id, IThresholdRepository thresholds, CancellationToken ct)
    {
        var overrides = await thresholds.GetOverridesAsync(id, ct);
        var effective = await thresholds.GetEffectiveAsync(id, ct);
        return new ThresholdsResponse(overrides.Select(ToDto).ToList(), effective.All.Select(ToDto).ToList());
    }

    private static ThresholdDto ToDto(VitalThreshold t) =>
        new(t.Kind.WireName(), t.Kind.CanonicalUnit(), t.CriticalLow, t.Low, t.High, t.CriticalHigh);
}
