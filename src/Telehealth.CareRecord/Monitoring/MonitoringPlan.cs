using System.Globalization;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Monitoring;

/// <summary>
/// What staff expect to hear for one person, so that what does not come is a red flag too: readings due by a time
/// each day, movement within daily windows, and how often each device should check in. Personal by design: one
/// person's blood pressure is due by 11:00, another's not at all. Times are local to <see cref="TimeZoneId"/>, so
/// "11:00" stays 11:00 across daylight saving.
/// </summary>
public sealed record MonitoringPlan(
    string PatientId,
    string TimeZoneId,
    IReadOnlyList<ScheduledReading> ScheduledReadings,
    IReadOnlyList<ActivityWindow> ActivityWindows,
    IReadOnlyList<HeartbeatExpectation> Heartbeats)
{
    public const string DefaultTimeZoneId = "Europe/London";

    /// <summary>Limits that keep a plan something a person could live with and a team could read.</summary>
    public const int MaxEntries = 24;

    public static readonly TimeSpan MaxGrace = TimeSpan.FromHours(4);
    public static readonly TimeSpan MinHeartbeat = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxHeartbeat = TimeSpan.FromDays(7);

    public static MonitoringPlan Empty(string patientId) => new(patientId, DefaultTimeZoneId, [], [], []);

    public bool IsEmpty => ScheduledReadings.Count == 0 && ActivityWindows.Count == 0 && Heartbeats.Count == 0;

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId);

    /// <summary>
    /// This plan with each expectation that was already in force in <paramref name="previous"/> keeping its original
    /// start: saving a plan again (or adding one line to it) must not restart the clock on the others.
    /// </summary>
    public MonitoringPlan CarryStartsFrom(MonitoringPlan? previous)
    {
        if (previous is null)
        {
            return this;
        }
        return this with
        {
            ScheduledReadings = [.. ScheduledReadings.Select(s => previous.ScheduledReadings.FirstOrDefault(p => p.SameAs(s)) is { } kept ? s with { Since = kept.Since } : s)],
            ActivityWindows = [.. ActivityWindows.Select(a => previous.ActivityWindows.FirstOrDefault(p => p.SameAs(a)) is { } kept ? a with { Since = kept.Since } : a)],
            Heartbeats = [.. Heartbeats.Select(h => previous.Heartbeats.FirstOrDefault(p => p.SameAs(h)) is { } kept ? h with { Since = kept.Since } : h)],
        };
    }

    /// <summary>Every problem with this plan, keyed by the field it is in; empty when it can be stored.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string problem)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }
            list.Add(problem);
        }

        if (!IsKnownTimeZone(TimeZoneId))
        {
            Add("timeZone", $"timeZone '{TimeZoneId}' is not a known IANA time zone (e.g. {DefaultTimeZoneId}).");
        }
        if (ScheduledReadings.Count + ActivityWindows.Count + Heartbeats.Count > MaxEntries)
        {
            Add("plan", string.Create(CultureInfo.InvariantCulture, $"A plan holds at most {MaxEntries} expectations."));
        }
        for (var i = 0; i < ScheduledReadings.Count; i++)
        {
            var s = ScheduledReadings[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"scheduledReadings[{i}]");
            if (s.Opens >= s.DueBy)
            {
                Add(field, "opens must be before dueBy on the same day.");
            }
            if (s.Grace < TimeSpan.Zero || s.Grace > MaxGrace)
            {
                Add(field, string.Create(CultureInfo.InvariantCulture, $"graceMinutes must be 0 to {MaxGrace.TotalMinutes:0}."));
            }
            else if (s.DueBy.ToTimeSpan() + s.Grace >= TimeSpan.FromDays(1))
            {
                Add(field, "dueBy plus grace must end before midnight.");
            }
            if (ScheduledReadings.Take(i).Any(other => other.Kind == s.Kind && other.DueBy == s.DueBy))
            {
                Add(field, $"{s.Kind.WireName()} is already expected by {s.DueBy:HH:mm}.");
            }
        }
        for (var i = 0; i < ActivityWindows.Count; i++)
        {
            var a = ActivityWindows[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"activityWindows[{i}]");
            if (a.Opens == a.Closes)
            {
                Add(field, "opens and closes must differ.");
            }
            if (ActivityWindows.Take(i).Any(other => other.Opens == a.Opens && other.Closes == a.Closes))
            {
                Add(field, $"A window {a.Opens:HH:mm}–{a.Closes:HH:mm} is already expected.");
            }
        }
        for (var i = 0; i < Heartbeats.Count; i++)
        {
            var h = Heartbeats[i];
            var field = string.Create(CultureInfo.InvariantCulture, $"heartbeats[{i}]");
            if (h.Interval < MinHeartbeat || h.Interval > MaxHeartbeat)
            {
                Add(field, string.Create(CultureInfo.InvariantCulture,
                    $"intervalMinutes must be {MinHeartbeat.TotalMinutes:0} to {MaxHeartbeat.TotalMinutes:0}."));
            }
            if (Heartbeats.Take(i).Any(other => other.DeviceId == h.DeviceId))
            {
                Add(field, $"Device {h.DeviceId} already has a heartbeat interval.");
            }
        }
        return problems.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    private static bool IsKnownTimeZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return false;
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
