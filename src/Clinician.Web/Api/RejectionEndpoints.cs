using Telehealth.Ingest.Storage;
using Telehealth.Ingest.Storage.Sqlite;

namespace Telehealth.Clinician.Web.Api;

public static class RejectionEndpoints
{
    public sealed record RejectionDto(DateTimeOffset At, string? DeviceId, string Source, string Reason, string Detail);

    public sealed record RejectionsResponse(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<RejectionDto> Items);

    public static IEndpointRouteBuilder MapRejectionEndpoints(this IEndpointRouteBuilder app)
    {
        // Refused input never disappears silently: staff see the reason and a count of each kind.
        app.MapGet("/api/rejections", async (int? limit, SqliteRejectionLog log, CancellationToken ct) =>
        {
            var items = await log.RecentAsync(Math.Clamp(limit ?? 100, 1, 1000), ct);
            var counts = await log.CountsByReasonAsync(ct);
            return Results.Ok(new RejectionsResponse(counts, items.Select(r => new RejectionDto(r.At, r.DeviceId, r.Source, r.Reason, r.Detail)).ToList()));
        })
        .RequireAuthorization()
        .WithTags("Rejections");
        return app;
    }
}
