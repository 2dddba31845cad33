using Telehealth.CareRecord.Staff;
using System.Security.Claims;
using Telehealth.CareRecord.Caseload;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// The snoozes in force on the team's active alerts, so a queue that opens (or reconnects) shows who snoozed what and
/// until when; later changes arrive live as snoozed / unsnoozed alert events.
/// </summary>
public static class AlertSnoozeEndpoints
{
    public sealed record SnoozeDto(Guid AlertId, string Staff, DateTimeOffset Until);

    public static IEndpointRouteBuilder MapAlertSnoozeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alerts/snoozes", async (ClaimsPrincipal user, IPatientRepository patients, IAlertStore alerts, IAlertEventLog log,
            TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var snoozes = new List<SnoozeDto>();
            foreach (var alert in await alerts.ListAsync(new AlertQuery(ActiveOnly: true, Limit: 1000, TeamId: user.TeamId()), ct))
            {
                var events = (await log.ForAlertAsync(alert.Id, ct)).Select(e => e.Event).ToList();
                snoozes.AddRange(AlertSnoozes.Active(alert, events, now).Select(s => new SnoozeDto(alert.Id, s.Key, s.Value)));
            }
            return Results.Ok(snoozes);
        })
        .Requires(StaffPermission.ViewCaseload)
        .WithTags("Alerts");
        return app;
    }
}
