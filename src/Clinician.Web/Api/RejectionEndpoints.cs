using System.Security.Claims;
using Telehealth.Clinician.Web.Auth;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Clinician.Web.Api;

public static class RejectionEndpoints
{
    /// <summary>Largest page: enough to scroll a noisy device's refusals, small enough to answer fast.</summary>
    public const int MaxPage = 1_000;

    public sealed record RejectionDto(long Id, DateTimeOffset At, string? DeviceId, string Source, string Reason, string Detail);

    /// <param name="Counts">Kept rejections per reason within the caller's scope (and device filter).</param>
    /// <param name="NextBefore">Pass as <c>before</c> for the next (older) page; null on the last page.</param>
    public sealed record RejectionsResponse(IReadOnlyDictionary<string, long> Counts, IReadOnlyList<RejectionDto> Items, long? NextBefore);

    public sealed record DeviceRejectionSummary(string? DeviceId, long Total, DateTimeOffset LastAt, IReadOnlyDictionary<string, long> Reasons);

    public sealed record RejectionSummaryResponse(IReadOnlyList<DeviceRejectionSummary> Devices);

    public static IEndpointRouteBuilder MapRejectionEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/rejections").Requires(StaffPermission.ViewCaseload).WithTags("Rejections");

        // Refused input never disappears silently: staff see the reason, filtered and paged so one noisy device
        // cannot hide another's refusals, and only for their own team's devices.
        group.MapGet("/", async (string? deviceId, string? reason, int? limit, long? before, ClaimsPrincipal user,
            IPatientRepository patients, IDeviceRegistry registry, IRejectionQueries log, CancellationToken ct) =>
        {
            if (ListParameters.Refusal(limit) is { } refusal)
            {
                return refusal;
            }
            var scope = await ScopeOfAsync(user, patients, registry, ct);
            var size = Math.Clamp(limit ?? 100, 1, MaxPage);
            var page = await log.QueryAsync(new RejectionQuery(scope, Blank(deviceId), Blank(reason), before, size), ct);
            var counts = (await log.CountAsync(scope, Blank(deviceId), ct))
                .GroupBy(c => c.Reason, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(c => c.Count), StringComparer.Ordinal);
            var items = page.Select(r => new RejectionDto(r.Id, r.Rejection.At, r.Rejection.DeviceId, r.Rejection.Source, r.Rejection.Reason, r.Rejection.Detail)).ToList();
            return Results.Ok(new RejectionsResponse(counts, items, items.Count == size ? items[^1].Id : null));
        });

        group.MapGet("/summary", async (ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, IRejectionQueries log, CancellationToken ct) =>
        {
            var scope = await ScopeOfAsync(user, patients, registry, ct);
            var devices = (await log.CountAsync(scope, null, ct))
                .GroupBy(c => c.DeviceId)
                .Select(g => new DeviceRejectionSummary(
                    g.Key, g.Sum(c => c.Count), g.Max(c => c.LastAt),
                    g.ToDictionary(c => c.Reason, c => c.Count, StringComparer.Ordinal)))
                .OrderByDescending(d => d.Total).ThenBy(d => d.DeviceId, StringComparer.Ordinal)
                .ToList();
            return Results.Ok(new RejectionSummaryResponse(devices));
        });
        return app;
    }

    /// <summary>
    /// The caller's team's devices; admins also see rejections that belong to no known device (unknown ids, refused
    /// connections). A rejection of another team's device is never in scope, for anyone.
    /// </summary>
    private static async Task<RejectionScope> ScopeOfAsync(ClaimsPrincipal user, IPatientRepository patients, IDeviceRegistry registry, CancellationToken ct)
    {
        var teamDevices = (await registry.ListForTeamAsync(user.TeamId(), ct)).Select(d => d.DeviceId).ToList();
        var known = user.Can(StaffPermission.ViewOperations) ? (await registry.ListAsync(null, ct)).Select(d => d.DeviceId).ToList() : null;
        return new RejectionScope(teamDevices, known);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
