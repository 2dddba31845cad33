using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Staff;
using Telehealth.CareRecord.Audit;
using System.Globalization;
using System.Security.Claims;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.CarePlans;
using Telehealth.CareRecord.FollowUp;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Alerts.Recording;
using Telehealth.Contracts;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// The whole person in one read: readings, telecare events, every event of their alerts, the follow-up calls about
/// them (outcome and what was done), care-setting, threshold, goal and care-plan changes, merged newest first. A read
/// model over the existing stores; nothing is written.
/// </summary>
public static class PersonTimelineEndpoints
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 5_000;

    public static IEndpointRouteBuilder MapPersonTimelineEndpoints(this IEndpointRouteBuilder app)
    {
        // from/to default to the last 7 days; at most `limit` entries (the newest) are returned.
        app.MapGet("/api/patients/{id}/timeline", async (string id, DateTimeOffset? from, DateTimeOffset? to, int? limit, ClaimsPrincipal user,
            IPatientRepository patients, IThresholdRepository thresholds, IReadingStore readings, ITelecareEventStore telecare,
            IAlertStore alerts, IAlertEventLog log, ICarePlanStore plans, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var end = to ?? time.GetUtcNow();
            var start = from ?? end.AddDays(-7);
            if (ListParameters.Refusal(limit, start, end) is { } refusal)
            {
                return refusal;
            }
            var take = Math.Clamp(limit ?? DefaultLimit, 1, MaxLimit);
            bool InRange(DateTimeOffset at) => at >= start && at <= end;
            var items = new List<TimelineItemDto>();

            foreach (var r in await readings.QueryAsync(new ReadingQuery(id, null, start, end, MaxLimit), ct))
            {
                items.Add(new TimelineItemDto(r.DeviceTime, "reading", r.Kind.WireName(),
                    string.Create(CultureInfo.InvariantCulture, $"{Label(r.Kind)} {r.Value:0.##} {r.Unit}"), DeviceId: r.DeviceId));
            }
            foreach (var e in (await telecare.RecentForPatientAsync(id, 1000, ct)).Where(e => InRange(e.DeviceTime)))
            {
                items.Add(new TimelineItemDto(e.DeviceTime, "telecare_event", e.Type.WireName(), Sentence(e.Type.WireName()), DeviceId: e.DeviceId));
            }
            foreach (var alert in await alerts.ListAsync(new AlertQuery(id, Limit: 1000), ct))
            {
                if (alert.UpdatedAt < start)
                {
                    continue; // nothing of this alert can fall in the range (every event is at or before its last update)
                }
                // A call is shown as itself (outcome, actions, notes) rather than as its alert event.
                foreach (var e in (await log.ForAlertAsync(alert.Id, ct)).Where(e => InRange(e.At) && e.Type != AlertEventType.CallAttempted))
                {
                    items.Add(new TimelineItemDto(e.At, "alert_event", WireNames.Of(e.Type), e.Event.Reason,
                        (e.Event.Severity ?? alert.Severity).ToString().ToLowerInvariant(), alert.Id, alert.Device?.DeviceId, e.Actor));
                }
                foreach (var call in (alert.Calls ?? []).Where(c => InRange(c.At)))
                {
                    items.Add(new TimelineItemDto(call.At, "call", WireNames.Of(call.Outcome), CallText(call, alert.Reason),
                        alert.Severity.ToString().ToLowerInvariant(), alert.Id, alert.Device?.DeviceId, call.By));
                }
            }
            foreach (var r in (await plans.GetHistoryAsync(id, ct)).Where(r => InRange(r.Change.At)))
            {
                items.Add(new TimelineItemDto(r.Change.At, "care_plan", WireNames.Of(r.Kind), $"{r.Summary}. Reason: {r.Change.Reason}", Actor: r.Change.ChangedBy));
            }
            foreach (var c in (await patients.GetCareSettingsHistoryAsync(id, ct)).Where(c => InRange(c.ChangedAt)))
            {
                var oxygen = c.OnSupplementalOxygen switch { true => "on oxygen", false => "on air", null => "oxygen not known" };
                items.Add(new TimelineItemDto(c.ChangedAt, "care_settings", "changed",
                    $"NEWS2 scale {(int)c.News2Scale}, {oxygen}: {c.Reason}", Actor: c.ChangedBy));
            }
            var sets = (await thresholds.GetTimelineAsync(id, ct)).Sets;
            for (var i = 0; i < sets.Count; i++)
            {
                if (InRange(sets[i].From))
                {
                    var before = i == 0 ? ThresholdSet.Defaults : sets[i - 1].Set;
                    items.Add(new TimelineItemDto(sets[i].From, "thresholds", "changed", "Thresholds changed: " + Changes(before, sets[i].Set)));
                }
            }
            // Newest first; at the same instant (times are kept to the millisecond) a consequence reads above its cause.
            return Results.Ok(items.OrderByDescending(i => i.At).ThenBy(i => TieOrder(i.Kind)).Take(take));
        })
        .Requires(StaffPermission.ViewCaseload)
        .Audited(AuditAction.View, AuditSubject.PatientRoute)
        .WithTags("Patients");
        return app;
    }

    private static int TieOrder(string kind) => kind switch
    {
        "thresholds" or "care_settings" or "care_plan" => 0,
        "call" or "alert_event" => 1,
        "telecare_event" => 2,
        _ => 3,
    };

    /// <summary>"Call 2 about SpO₂ low: reached; advice given, repeat reading requested. Notes: …".</summary>
    private static string CallText(CallAttempt call, string about)
    {
        var text = $"Call {call.Number.ToString(CultureInfo.InvariantCulture)} about {about}: {WireNames.Of(call.Outcome).Replace('_', ' ')}";
        if (call.Actions.Count > 0)
        {
            text += "; " + string.Join(", ", call.Actions.Select(a => CallActions.Of(a).Replace('_', ' ')));
        }
        if (call.Escalated)
        {
            text += "; not reached, escalated";
        }
        else if (call.RetryAt is { } retry)
        {
            text += $"; retry at {retry.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC";
        }
        return string.IsNullOrWhiteSpace(call.Notes) ? text : $"{text}. Notes: {call.Notes}";
    }

    private static string Label(VitalKind kind) => kind.WireName().Replace('_', ' ');

    private static string Sentence(string wireName) => char.ToUpperInvariant(wireName[0]) + wireName[1..].Replace('_', ' ');

    /// <summary>Each vital whose bounds differ, as "spo2 91/94–none/none → 88/92–none/none".</summary>
    private static string Changes(ThresholdSet before, ThresholdSet after)
    {
        var changed = after.All
            .Select(t => (After: t, Before: before.All.FirstOrDefault(b => b.Kind == t.Kind)))
            .Where(p => p.Before is null || Bounds(p.Before) != Bounds(p.After))
            .Select(p => $"{Label(p.After.Kind)} {(p.Before is null ? "none" : Bounds(p.Before))} → {Bounds(p.After)}")
            .ToList();
        return changed.Count == 0 ? "no bound changed" : string.Join("; ", changed);
    }

    private static string Bounds(VitalThreshold t)
    {
        static string B(double? v) => v is { } x ? x.ToString("0.##", CultureInfo.InvariantCulture) : "none";
        return $"{B(t.CriticalLow)}/{B(t.Low)}–{B(t.High)}/{B(t.CriticalHigh)}";
    }
}
