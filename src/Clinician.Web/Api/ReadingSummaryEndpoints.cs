using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Staff;
using Telehealth.CareRecord.Audit;
using System.Globalization;
using System.Security.Claims;
using Telehealth.CareRecord.Caseload;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Chart-sized views of a patient's readings: min/mean/max per interval over a range, and the latest reading of each
/// kind. Team-scoped like <c>/api/patients/{id}/readings</c>: another team's patient is answered 404.
/// </summary>
public static class ReadingSummaryEndpoints
{
    /// <summary>When <c>to</c> is left out it is now; when <c>from</c> is left out it is this long before <c>to</c>.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromHours(24);

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(1);

    public sealed record ReadingBucketDto(DateTimeOffset Start, double Min, double Mean, double Max, long Count);

    public sealed record ReadingSummaryDto(
        string Kind, string Unit, DateTimeOffset From, DateTimeOffset To, string Interval, IReadOnlyList<ReadingBucketDto> Buckets);

    public sealed record LatestReadingDto(string Kind, double Value, string Unit, DateTimeOffset DeviceTime, DateTimeOffset ReceivedAt, string DeviceId);

    public static IEndpointRouteBuilder MapReadingSummaryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients").Requires(StaffPermission.ViewCaseload).Audited(AuditAction.View, AuditSubject.PatientRoute).WithTags("Patients");

        group.MapGet("/{id}/readings/summary", async (string id, string? kind, DateTimeOffset? from, DateTimeOffset? to, string? interval,
            ClaimsPrincipal user, IPatientRepository patients, IReadingStore readings, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var problems = new Dictionary<string, string[]>();
            if (string.IsNullOrEmpty(kind) || !VitalKinds.TryParseWireName(kind, out var parsedKind))
            {
                problems["kind"] = [string.IsNullOrEmpty(kind) ? "kind is required." : $"Unknown kind '{kind}'."];
                parsedKind = default;
            }
            var span = DefaultInterval;
            if (interval is not null && !TryParseInterval(interval, out span))
            {
                problems["interval"] = [$"interval '{interval}' is not a duration such as 30s, 15m, 1h or 1d."];
            }
            var end = to ?? time.GetUtcNow();
            var query = new ReadingSummaryQuery(id, parsedKind, from ?? end - DefaultRange, end, span);
            if (problems.Count == 0 && query.Problem() is { } problem)
            {
                problems["query"] = [problem + "."];
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems);
            }
            var buckets = await readings.SummarizeAsync(query, ct);
            return Results.Ok(new ReadingSummaryDto(
                parsedKind.WireName(), parsedKind.CanonicalUnit(), query.From, query.To, FormatInterval(span),
                buckets.Select(b => new ReadingBucketDto(b.Start, b.Min, b.Mean, b.Max, b.Count)).ToList()));
        });

        group.MapGet("/{id}/readings/latest", async (string id, ClaimsPrincipal user, IPatientRepository patients, IReadingStore readings, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var latest = await readings.LatestByKindAsync(id, ct);
            return Results.Ok(latest.Values
                .OrderBy(r => r.Kind.WireName(), StringComparer.Ordinal)
                .Select(r => new LatestReadingDto(r.Kind.WireName(), r.Value, r.Unit, r.DeviceTime, r.ReceivedAt, r.DeviceId))
                .ToList());
        });
        return app;
    }

    /// <summary>"90s", "15m", "2h", "1d" (a whole number and a unit), or a .NET time span such as "00:15:00".</summary>
    public static bool TryParseInterval(string text, out TimeSpan interval)
    {
        interval = default;
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 1_000_000)
        {
            TimeSpan? unit = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                _ => null,
            };
            if (unit is { } u)
            {
                interval = u * amount;
                return true;
            }
        }
        return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out interval);
    }

    private static string FormatInterval(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.Ticks / TimeSpan.TicksPerDay}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.Ticks / TimeSpan.TicksPerHour}h"
        : span.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{span.Ticks / TimeSpan.TicksPerMinute}m"
        : span.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{span.Ticks / TimeSpan.TicksPerSecond}s"
        : span.ToString("c", CultureInfo.InvariantCulture);
}
