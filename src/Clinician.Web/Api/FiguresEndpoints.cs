using System.Globalization;
using System.Security.Claims;
using System.Text;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.Figures;
using Telehealth.CareRecord.FollowUp;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts;
using Telehealth.Contracts.Readings;

namespace Telehealth.Clinician.Web.Api;

/// <summary>
/// Service figures for team leads and commissioners (<c>GET /api/figures?from=&amp;to=</c>, JSON or
/// <c>format=csv</c>): alerts by severity and kind, time to acknowledge against the telecare call-handling
/// standards, time to first call, outcomes, telephone follow-ups, readings adherence per person, device uptime.
/// Scoped to the caller's team in every query.
/// </summary>
public static class FiguresEndpoints
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    /// <summary>The most readings of one kind read for one person's adherence (a year of hourly readings).</summary>
    private const int MaxReadingsPerKind = 10_000;

    public sealed record ResponseTimesDto(int Responded, int Waiting, double? MedianSeconds, double? Percentile90Seconds, double? ShareWithin60Seconds, double? ShareWithin3Minutes);

    public sealed record AdherenceDto(string PatientId, string PatientName, string? NhsNumber, DateOnly? DateOfBirth, string Condition, int WindowsClosed, int WindowsWithReading, double? Share);

    public sealed record UptimeDto(string DeviceId, string DeviceType, string PatientId, double WatchedHours, double FlaggedSilentMinutes, double? Share);

    public sealed record FollowUpsDto(int AlertsCalled, int Calls, IReadOnlyDictionary<string, int> ByOutcome, IReadOnlyDictionary<string, int> ByAction, int Escalated);

    public sealed record FiguresDto(
        string TeamId, DateTimeOffset From, DateTimeOffset To, int AlertsRaised, IReadOnlyDictionary<string, int> BySeverity,
        IReadOnlyDictionary<string, int> ByKind, ResponseTimesDto TimeToAcknowledge, IReadOnlyDictionary<string, int> Outcomes,
        IReadOnlyList<AdherenceDto> Adherence, IReadOnlyList<UptimeDto> Uptime, ResponseTimesDto TimeToFirstCall, FollowUpsDto FollowUps);

    public static IEndpointRouteBuilder MapFiguresEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/figures", async (DateTimeOffset? from, DateTimeOffset? to, string? teamId, string? format, ClaimsPrincipal user,
            IServiceFiguresSource source, IPatientRepository patients, IMonitoringPlanStore plans, IReadingStore readings, IRuleStateStore ruleStates,
            TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var periodTo = to ?? now;
            var period = new FiguresPeriod(from ?? periodTo - DefaultPeriod, periodTo);
            if (period.Length <= TimeSpan.Zero || period.Length > FiguresPeriod.MaxLength)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["from"] = ["from must be before to, and the period at most 366 days."],
                });
            }
            if (format is not (null or "json" or "csv"))
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format is json (default) or csv."] });
            }
            var team = user.IsInRole(StaffRoles.Admin) && !string.IsNullOrWhiteSpace(teamId) ? teamId : user.TeamId();
            var people = await patients.ListAsync(team, ct);
            var planned = new List<(MonitoringPlan, IReadOnlyDictionary<VitalKind, IReadOnlyList<DateTimeOffset>>)>();
            var watched = new List<WatchedDevice>();
            foreach (var person in people)
            {
                var plan = await plans.GetAsync(person.Id, ct);
                if (plan is { ScheduledReadings.Count: > 0 })
                {
                    var times = new Dictionary<VitalKind, IReadOnlyList<DateTimeOffset>>();
                    foreach (var kind in plan.ScheduledReadings.Select(s => s.Kind).Distinct())
                    {
                        var found = await readings.QueryAsync(new ReadingQuery(person.Id, kind, period.From, period.To, MaxReadingsPerKind), ct);
                        times[kind] = [.. found.Select(r => ObservationTime.Of(r))];
                    }
                    planned.Add((plan, times));
                }
                var heartbeats = plan?.Heartbeats.ToDictionary(h => h.DeviceId, StringComparer.Ordinal) ?? [];
                foreach (var (key, state) in await ruleStates.LoadAsync(person.Id, ct))
                {
                    if (key.StartsWith("silence:", StringComparison.Ordinal) && state.Device is { } device
                        && (heartbeats.Remove(device.DeviceId) || state.State.Read<DeviceSilenceState>().DeclaredInterval is not null))
                    {
                        watched.Add(new WatchedDevice(device.DeviceId, device.DeviceType, person.Id));
                    }
                }
                watched.AddRange(heartbeats.Values.Select(h => new WatchedDevice(h.DeviceId, h.DeviceType, person.Id)));
            }
            var figures = ServiceFiguresCalculator.Calculate(team, period, now,
                await source.AlertsRaisedAsync(team, period.From, period.To, ct),
                await source.SilencesOverlappingAsync(team, period.From, period.To, ct),
                planned, watched);
            var dto = ToDto(figures, people.ToDictionary(p => p.Id, StringComparer.Ordinal));
            return format == "csv"
                ? Results.File(Encoding.UTF8.GetBytes(ToCsv(dto)), "text/csv; charset=utf-8",
                    string.Create(CultureInfo.InvariantCulture, $"figures-{team}-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.csv"))
                : Results.Ok(dto);
        }).Requires(StaffPermission.ReadServiceFigures).WithTags("Figures");
        return app;
    }

    private static FiguresDto ToDto(ServiceFigures figures, IReadOnlyDictionary<string, PatientRecord> people)
    {
        static double? Seconds(TimeSpan? span) => span?.TotalSeconds;
        static ResponseTimesDto Times(ResponseTimes t) =>
            new(t.Responded, t.Waiting, Seconds(t.Median), Seconds(t.Percentile90), t.ShareWithin60Seconds, t.ShareWithin3Minutes);
        var calls = figures.FollowUps;
        return new FiguresDto(
            figures.TeamId, figures.Period.From, figures.Period.To, figures.AlertsRaised,
            figures.BySeverity.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => p.Value),
            figures.ByKind,
            Times(figures.TimeToAcknowledge),
            figures.Outcomes.ToDictionary(p => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key.ToString()), p => p.Value),
            [.. figures.Adherence.Select(a => people.TryGetValue(a.PatientId, out var person)
                ? new AdherenceDto(a.PatientId, person.DisplayName, person.NhsNumber, person.DateOfBirth, a.ConditionKey, a.WindowsClosed, a.WindowsWithReading, a.Share)
                : new AdherenceDto(a.PatientId, a.PatientId, null, null, a.ConditionKey, a.WindowsClosed, a.WindowsWithReading, a.Share))],
            [.. figures.Uptime.Select(u => new UptimeDto(u.DeviceId, u.DeviceType, u.PatientId, u.Watched.TotalHours, u.FlaggedSilent.TotalMinutes, u.Share))],
            Times(figures.TimeToFirstCall),
            new FollowUpsDto(calls.AlertsCalled, calls.Calls,
                calls.ByOutcome.ToDictionary(p => WireNames.Of(p.Key), p => p.Value),
                calls.ByAction.ToDictionary(p => CallActions.Of(p.Key), p => p.Value),
                calls.Escalated));
    }

    /// <summary>One row per figure (section, key, detail, value), so a spreadsheet can pivot it without parsing.</summary>
    private static string ToCsv(FiguresDto dto)
    {
        var csv = new StringBuilder("section,key,detail,value\n");
        void Row(string section, string key, string detail, double? value) =>
            csv.Append(Field(section)).Append(',').Append(Field(key)).Append(',').Append(Field(detail)).Append(',')
                .Append(value?.ToString("0.####", CultureInfo.InvariantCulture) ?? string.Empty).Append('\n');
        Row("period", "from", dto.From.ToString("O", CultureInfo.InvariantCulture), null);
        Row("period", "to", dto.To.ToString("O", CultureInfo.InvariantCulture), null);
        Row("alerts", "raised", string.Empty, dto.AlertsRaised);
        foreach (var (severity, count) in dto.BySeverity)
        {
            Row("alerts_by_severity", severity, string.Empty, count);
        }
        foreach (var (kind, count) in dto.ByKind)
        {
            Row("alerts_by_kind", kind, string.Empty, count);
        }
        void Times(string section, ResponseTimesDto times)
        {
            Row(section, "responded", string.Empty, times.Responded);
            Row(section, "waiting", string.Empty, times.Waiting);
            Row(section, "median_seconds", string.Empty, times.MedianSeconds);
            Row(section, "p90_seconds", string.Empty, times.Percentile90Seconds);
            Row(section, "share_within_60s", string.Empty, times.ShareWithin60Seconds);
            Row(section, "share_within_3min", string.Empty, times.ShareWithin3Minutes);
        }
        Times("time_to_acknowledge", dto.TimeToAcknowledge);
        Times("time_to_first_call", dto.TimeToFirstCall);
        foreach (var (outcome, count) in dto.Outcomes)
        {
            Row("outcomes", outcome, string.Empty, count);
        }
        Row("follow_ups", "alerts_called", string.Empty, dto.FollowUps.AlertsCalled);
        Row("follow_ups", "calls", string.Empty, dto.FollowUps.Calls);
        Row("follow_ups", "escalated", string.Empty, dto.FollowUps.Escalated);
        foreach (var (outcome, count) in dto.FollowUps.ByOutcome)
        {
            Row("call_outcomes", outcome, string.Empty, count);
        }
        foreach (var (action, count) in dto.FollowUps.ByAction)
        {
            Row("call_actions", action, string.Empty, count);
        }
        foreach (var a in dto.Adherence)
        {
            Row("adherence", a.PatientId, a.Condition, a.Share);
        }
        foreach (var u in dto.Uptime)
        {
            Row("device_uptime", u.DeviceId, u.DeviceType, u.Share);
        }
        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting, and a leading =, +, - or @ neutralised so a spreadsheet never runs a cell as a formula.</summary>
    private static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@')
        {
            text = "'" + text;
        }
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
