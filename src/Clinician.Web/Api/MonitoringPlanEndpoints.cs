using Telehealth.Clinician.Web.Audit;
using Telehealth.CareRecord.Staff;
using Telehealth.CareRecord.Audit;
using System.Globalization;
using System.Security.Claims;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Monitoring;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// What staff expect to hear for a person (<see cref="MonitoringPlan"/>): readings due by a time, movement within a
/// window, a heartbeat interval per device. Each expectation names a device currently issued to the person, checked
/// against what its type can send, so a missed-reading flag always says which device to ask about.
/// </summary>
public static class MonitoringPlanEndpoints
{
    public sealed record ScheduledReadingRequest(string? Kind, string? Opens, string? DueBy, int? GraceMinutes, string? DeviceId);

    public sealed record ActivityWindowRequest(string? Opens, string? Closes, string? DeviceId);

    public sealed record HeartbeatRequest(string? DeviceId, int? IntervalMinutes);

    public sealed record MonitoringPlanRequest(
        string? TimeZone,
        List<ScheduledReadingRequest>? ScheduledReadings,
        List<ActivityWindowRequest>? ActivityWindows,
        List<HeartbeatRequest>? Heartbeats,
        string? Reason);

    public sealed record ScheduledReadingDto(string Kind, string Opens, string DueBy, int GraceMinutes, string DeviceId, string DeviceType, DateTimeOffset Since);

    public sealed record ActivityWindowDto(string Opens, string Closes, string DeviceId, string DeviceType, DateTimeOffset Since);

    public sealed record HeartbeatDto(string DeviceId, string DeviceType, int IntervalMinutes, DateTimeOffset Since);

    public sealed record MonitoringPlanDto(
        string PatientId, string TimeZone, IReadOnlyList<ScheduledReadingDto> ScheduledReadings, IReadOnlyList<ActivityWindowDto> ActivityWindows,
        IReadOnlyList<HeartbeatDto> Heartbeats);

    public sealed record MonitoringPlanRevisionDto(int Sequence, DateTimeOffset ChangedAt, string ChangedBy, string Reason, MonitoringPlanDto Plan);

    /// <summary>When a scheduled reading counts from if the request does not say: the start of the day.</summary>
    private static readonly TimeOnly DefaultOpens = new(0, 0);

    private static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(30);

    public static IEndpointRouteBuilder MapMonitoringPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/patients").Requires(StaffPermission.ViewCaseload).WithTags("Monitoring plan");

        group.MapGet("/{id}/monitoring-plan", async (string id, ClaimsPrincipal user, IPatientRepository patients, IMonitoringPlanStore plans, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            return Results.Ok(ToDto(await plans.GetAsync(id, ct) ?? MonitoringPlan.Empty(id)));
        }).Audited(AuditAction.View, AuditSubject.PatientRoute);

        group.MapPut("/{id}/monitoring-plan", async (string id, MonitoringPlanRequest request, ClaimsPrincipal user, IPatientRepository patients,
            IDeviceRegistry devices, IMonitoringPlanStore plans, IEvaluationSignal evaluation, TimeProvider time, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var now = time.GetUtcNow();
            var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            void Problem(string field, string text)
            {
                if (!problems.TryGetValue(field, out var list))
                {
                    problems[field] = list = [];
                }
                list.Add(text);
            }

            var reason = request.Reason?.Trim() ?? string.Empty;
            if (reason.Length is 0 or > 500)
            {
                Problem("reason", "reason is required (at most 500 characters): the change is part of the person's record.");
            }
            var issued = (await devices.ListAsync(id, ct)).Where(d => d.IsAssigned && d.RevokedAt is null).ToDictionary(d => d.DeviceId, StringComparer.Ordinal);
            DeviceRecord? Device(string field, string? deviceId)
            {
                if (string.IsNullOrWhiteSpace(deviceId) || !issued.TryGetValue(deviceId, out var device))
                {
                    Problem(field, $"deviceId '{UntrustedText.Clip(deviceId ?? string.Empty)}' is not a device issued to this person.");
                    return null;
                }
                return device;
            }

            var scheduled = new List<ScheduledReading>();
            foreach (var (entry, i) in (request.ScheduledReadings ?? []).Select((entry, i) => (entry, i)))
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"scheduledReadings[{i}]");
                var kindOk = VitalKinds.TryParseWireName(entry.Kind, out var kind);
                if (!kindOk)
                {
                    Problem(field, $"kind '{UntrustedText.Clip(entry.Kind ?? string.Empty)}' is not a vital the device API knows.");
                }
                var dueBy = Clock(entry.DueBy, field, "dueBy", Problem);
                var opens = entry.Opens is null ? DefaultOpens : Clock(entry.Opens, field, "opens", Problem);
                var device = Device(field, entry.DeviceId);
                if (device is not null && kindOk && !DeviceCapabilities.Readings(device.Type).Contains(kind))
                {
                    Problem(field, $"a {device.Type.WireName()} does not measure {kind.WireName()}.");
                }
                if (device is not null && kindOk && dueBy is { } due && opens is { } open)
                {
                    scheduled.Add(new ScheduledReading(kind, device.DeviceId, device.Type.WireName(), open, due,
                        entry.GraceMinutes is { } grace ? TimeSpan.FromMinutes(grace) : DefaultGrace, now));
                }
            }
            var windows = new List<ActivityWindow>();
            foreach (var (entry, i) in (request.ActivityWindows ?? []).Select((entry, i) => (entry, i)))
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"activityWindows[{i}]");
                var opens = Clock(entry.Opens, field, "opens", Problem);
                var closes = Clock(entry.Closes, field, "closes", Problem);
                if (Device(field, entry.DeviceId) is { } device && opens is { } open && closes is { } close)
                {
                    windows.Add(new ActivityWindow(device.DeviceId, device.Type.WireName(), open, close, now));
                }
            }
            var heartbeats = new List<HeartbeatExpectation>();
            foreach (var (entry, i) in (request.Heartbeats ?? []).Select((entry, i) => (entry, i)))
            {
                var field = string.Create(CultureInfo.InvariantCulture, $"heartbeats[{i}]");
                if (entry.IntervalMinutes is null)
                {
                    Problem(field, "intervalMinutes is required.");
                }
                if (Device(field, entry.DeviceId) is { } device && entry.IntervalMinutes is { } minutes)
                {
                    heartbeats.Add(new HeartbeatExpectation(device.DeviceId, device.Type.WireName(), TimeSpan.FromMinutes(minutes), now));
                }
            }
            var plan = new MonitoringPlan(id, string.IsNullOrWhiteSpace(request.TimeZone) ? MonitoringPlan.DefaultTimeZoneId : request.TimeZone.Trim(),
                scheduled, windows, heartbeats);
            foreach (var (field, texts) in plan.Validate())
            {
                foreach (var text in texts)
                {
                    Problem(field, text);
                }
            }
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems.ToDictionary(p => p.Key, p => p.Value.ToArray()));
            }
            var saved = await plans.SaveAsync(plan, new MonitoringPlanChange(user.Username(), reason, now), ct);
            evaluation.Notify();
            return Results.Ok(ToDto(saved));
        }).Requires(StaffPermission.ChangeClinicalSettings).Audited(AuditAction.Change, AuditSubject.PatientRoute);

        group.MapGet("/{id}/monitoring-plan/history", async (string id, ClaimsPrincipal user, IPatientRepository patients, IMonitoringPlanStore plans, CancellationToken ct) =>
        {
            if (await PatientEndpoints.FindInTeamAsync(id, user, patients, ct) is null)
            {
                return PatientEndpoints.NotFound(id);
            }
            var history = await plans.GetHistoryAsync(id, ct);
            return Results.Ok(history.Select(r => new MonitoringPlanRevisionDto(r.Sequence, r.Change.At, r.Change.ChangedBy, r.Change.Reason, ToDto(r.Plan))));
        }).Audited(AuditAction.View, AuditSubject.PatientRoute);
        return app;
    }

    private static TimeOnly? Clock(string? text, string field, string name, Action<string, string> problem)
    {
        if (text is not null && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }
        problem(field, $"{name} must be a local time as HH:mm, e.g. 11:00.");
        return null;
    }

    private static MonitoringPlanDto ToDto(MonitoringPlan plan) => new(
        plan.PatientId,
        plan.TimeZoneId,
        [.. plan.ScheduledReadings.Select(s => new ScheduledReadingDto(s.Kind.WireName(), Hhmm(s.Opens), Hhmm(s.DueBy), (int)s.Grace.TotalMinutes, s.DeviceId, s.DeviceType, s.Since))],
        [.. plan.ActivityWindows.Select(a => new ActivityWindowDto(Hhmm(a.Opens), Hhmm(a.Closes), a.DeviceId, a.DeviceType, a.Since))],
        [.. plan.Heartbeats.Select(h => new HeartbeatDto(h.DeviceId, h.DeviceType, (int)h.Interval.TotalMinutes, h.Since))]);

    private static string Hhmm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}
