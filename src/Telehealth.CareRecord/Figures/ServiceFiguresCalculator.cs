using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.FollowUp;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Figures;

/// <summary>Service figures from the care record's facts; pure, so every figure is tested with tables.</summary>
public static class ServiceFiguresCalculator
{
    public static readonly TimeSpan CallHandlingTarget = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan CallHandlingOuterTarget = TimeSpan.FromMinutes(3);

    /// <param name="raised">Alerts raised in the period.</param>
    /// <param name="silences">Device-silence alerts that may overlap the period (raised before its end).</param>
    /// <param name="plans">Monitoring plans of the team's people, with each planned kind's reading times in the period.</param>
    public static ServiceFigures Calculate(
        string teamId,
        FiguresPeriod period,
        DateTimeOffset now,
        IReadOnlyList<AlertFact> raised,
        IReadOnlyList<AlertCase> silences,
        IReadOnlyList<(MonitoringPlan Plan, IReadOnlyDictionary<VitalKind, IReadOnlyList<DateTimeOffset>> ReadingTimes)> plans,
        IReadOnlyList<WatchedDevice> watched)
    {
        ArgumentNullException.ThrowIfNull(raised);
        var bySeverity = Enum.GetValues<AlertSeverity>().ToDictionary(s => s, s => raised.Count(a => a.Alert.Severity == s));
        var byKind = raised.GroupBy(a => KindOf(a.Alert.ConditionKey), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var acknowledge = Times(raised.Select(a => a.FirstAcknowledgedAt is { } at ? at - a.Alert.RaisedAt : (TimeSpan?)null).ToList());
        var outcomes = raised.Where(a => a.Alert.Outcome is not null)
            .GroupBy(a => a.Alert.Outcome!.Value)
            .OrderBy(g => g.Key)
            .ToDictionary(g => g.Key, g => g.Count());
        // An alert called about counts even when its kind does not usually need a call: the call was made and timed.
        var firstCall = Times(raised.Where(a => a.FirstCallAt is not null || FollowUpCalls.IsCallKind(a.Alert))
            .Select(a => a.FirstCallAt is { } at ? at - a.Alert.RaisedAt : (TimeSpan?)null).ToList());
        return new ServiceFigures(teamId, period, raised.Count, bySeverity, byKind, acknowledge, outcomes,
            Adherence(period, now, plans), Uptime(period, now, silences, watched), firstCall, FollowUps(raised));
    }

    /// <summary>The calls kept on each alert raised in the period (every outcome and action listed, zeros included, so a chart's bars stay put).</summary>
    public static FollowUpFigures FollowUps(IReadOnlyList<AlertFact> raised)
    {
        ArgumentNullException.ThrowIfNull(raised);
        var calls = raised.SelectMany(a => a.Alert.Calls ?? []).ToList();
        return new FollowUpFigures(
            raised.Count(a => a.Alert.Calls is { Count: > 0 }),
            calls.Count,
            Enum.GetValues<CallOutcome>().ToDictionary(o => o, o => calls.Count(c => c.Outcome == o)),
            Enum.GetValues<CallAction>().ToDictionary(action => action, action => calls.Count(c => c.Actions.Contains(action))),
            calls.Count(c => c.Escalated));
    }

    /// <summary>The family of a condition: the part of its key before the first ':' (<c>threshold</c>, <c>silence</c>, <c>news2</c>…).</summary>
    public static string KindOf(string conditionKey) =>
        conditionKey.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? conditionKey[..colon] : conditionKey;

    public static ResponseTimes Times(IReadOnlyList<TimeSpan?> waits)
    {
        var responded = waits.Where(w => w is not null).Select(w => w!.Value < TimeSpan.Zero ? TimeSpan.Zero : w.Value).Order().ToList();
        var waiting = waits.Count - responded.Count;
        if (responded.Count == 0)
        {
            return new ResponseTimes(0, waiting, null, null, null, null);
        }
        return new ResponseTimes(responded.Count, waiting, NearestRank(responded, 0.5), NearestRank(responded, 0.9),
            (double)responded.Count(w => w <= CallHandlingTarget) / responded.Count,
            (double)responded.Count(w => w <= CallHandlingOuterTarget) / responded.Count);
    }

    /// <summary>Nearest-rank percentile of sorted values: the smallest value with at least that share at or below it.</summary>
    public static TimeSpan NearestRank(IReadOnlyList<TimeSpan> sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    private static List<PersonAdherence> Adherence(
        FiguresPeriod period, DateTimeOffset now,
        IReadOnlyList<(MonitoringPlan Plan, IReadOnlyDictionary<VitalKind, IReadOnlyList<DateTimeOffset>> ReadingTimes)> plans)
    {
        var (from, to) = period.Elapsed(now);
        var result = new List<PersonAdherence>();
        foreach (var (plan, readingTimes) in plans.OrderBy(p => p.Plan.PatientId, StringComparer.Ordinal))
        {
            foreach (var expected in plan.ScheduledReadings)
            {
                var window = new DailyWindow(expected.Opens, TimeOnly.FromTimeSpan(expected.DueBy.ToTimeSpan() + expected.Grace), plan.TimeZone);
                var watchedFrom = window.FirstWholeWindowFrom(expected.Since);
                var times = readingTimes.GetValueOrDefault(expected.Kind) ?? [];
                var closed = 0;
                var withReading = 0;
                // Every window whose close falls in the elapsed period and after watching began.
                for (var close = window.NextClose(from.AddTicks(-1)); close < to; close = window.NextClose(close))
                {
                    if (close <= watchedFrom)
                    {
                        continue;
                    }
                    var (opens, _) = window.LatestClosed(close);
                    closed++;
                    if (times.Any(t => t >= opens && t <= close))
                    {
                        withReading++;
                    }
                }
                var key = new ScheduledReadingRule(expected.Kind, new DeviceRef(expected.DeviceId, expected.DeviceType), expected.Opens, expected.DueBy,
                    expected.Grace, plan.TimeZone, expected.Since).Key;
                result.Add(new PersonAdherence(plan.PatientId, key, closed, withReading));
            }
        }
        return result;
    }

    private static List<DeviceUptime> Uptime(FiguresPeriod period, DateTimeOffset now, IReadOnlyList<AlertCase> silences, IReadOnlyList<WatchedDevice> watched)
    {
        var (from, to) = period.Elapsed(now);
        var result = new List<DeviceUptime>();
        foreach (var device in watched.OrderBy(d => d.PatientId, StringComparer.Ordinal).ThenBy(d => d.DeviceId, StringComparer.Ordinal))
        {
            var key = $"silence:{device.DeviceId}";
            var silent = TimeSpan.Zero;
            foreach (var alert in silences.Where(a => a.ConditionKey == key && a.PatientId == device.PatientId))
            {
                var end = alert.ClearedAt ?? (alert.ConditionActive ? now : alert.ResolvedAt ?? now);
                var start = alert.RaisedAt > from ? alert.RaisedAt : from;
                var stop = end < to ? end : to;
                if (stop > start)
                {
                    silent += stop - start;
                }
            }
            result.Add(new DeviceUptime(device.DeviceId, device.DeviceType, device.PatientId, to - from, silent));
        }
        return result;
    }
}
