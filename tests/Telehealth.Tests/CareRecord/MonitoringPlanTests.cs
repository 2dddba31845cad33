using System.Globalization;
using Telehealth.CareRecord.Evaluation.MissingData;
using Telehealth.CareRecord.Monitoring;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

/// <summary>The monitoring plan's own rules: what a plan may say, and which windows are judged once it starts.</summary>
public sealed class MonitoringPlanTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private static ScheduledReading Bp(string opens = "06:00", string dueBy = "11:00", int graceMinutes = 30) =>
        new(VitalKind.SystolicBp, "cuff-1", "blood_pressure_monitor", TimeOnly.Parse(opens, CultureInfo.InvariantCulture),
            TimeOnly.Parse(dueBy, CultureInfo.InvariantCulture), TimeSpan.FromMinutes(graceMinutes), At);

    private static MonitoringPlan Plan(string zone = "Europe/London", IReadOnlyList<ScheduledReading>? scheduled = null,
        IReadOnlyList<ActivityWindow>? activity = null, IReadOnlyList<HeartbeatExpectation>? heartbeats = null) =>
        new("pat-1", zone, scheduled ?? [], activity ?? [], heartbeats ?? []);

    public static TheoryData<string, MonitoringPlan, string?> Cases => new()
    {
        { "empty plan", Plan(), null },
        { "a blood pressure by 11:00", Plan(scheduled: [Bp()]), null },
        { "unknown zone", Plan(zone: "Mars/Olympus"), "timeZone" },
        { "opens after due", Plan(scheduled: [Bp(opens: "12:00")]), "scheduledReadings[0]" },
        { "grace over four hours", Plan(scheduled: [Bp(graceMinutes: 241)]), "scheduledReadings[0]" },
        { "negative grace", Plan(scheduled: [Bp(graceMinutes: -1)]), "scheduledReadings[0]" },
        { "grace past midnight", Plan(scheduled: [Bp(dueBy: "23:00", graceMinutes: 60)]), "scheduledReadings[0]" },
        { "same kind and time twice", Plan(scheduled: [Bp(), Bp(opens: "07:00")]), "scheduledReadings[1]" },
        { "same kind at another time", Plan(scheduled: [Bp(), Bp(opens: "15:00", dueBy: "18:00")]), null },
        { "empty window", Plan(activity: [new ActivityWindow("pir-1", "inactivity_sensor", new TimeOnly(7, 0), new TimeOnly(7, 0), At)]), "activityWindows[0]" },
        { "overnight window", Plan(activity: [new ActivityWindow("bed-1", "bed_sensor", new TimeOnly(22, 0), new TimeOnly(2, 0), At)]), null },
        { "heartbeat under a minute", Plan(heartbeats: [new HeartbeatExpectation("p-1", "pendant_alarm", TimeSpan.FromSeconds(30), At)]), "heartbeats[0]" },
        { "heartbeat over a week", Plan(heartbeats: [new HeartbeatExpectation("p-1", "pendant_alarm", TimeSpan.FromDays(8), At)]), "heartbeats[0]" },
        { "two heartbeats for one device", Plan(heartbeats: [new HeartbeatExpectation("p-1", "pendant_alarm", TimeSpan.FromMinutes(5), At),
            new HeartbeatExpectation("p-1", "pendant_alarm", TimeSpan.FromMinutes(10), At)]), "heartbeats[1]" },
        { "too many expectations", Plan(heartbeats: [.. Enumerable.Range(0, 25).Select(i => new HeartbeatExpectation($"d-{i}", "pendant_alarm", TimeSpan.FromMinutes(5), At))]), "plan" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_plan_is_refused_naming_the_field_at_fault(string because, MonitoringPlan plan, string? faultyField)
    {
        var problems = plan.Validate();

        if (faultyField is null)
        {
            Assert.True(problems.Count == 0, because);
        }
        else
        {
            Assert.Equal([faultyField], problems.Keys);
        }
    }

    [Theory]
    [InlineData("2026-03-02T05:00:00Z", "2026-03-02T05:00:00Z")]   // before 06:00: today's window is whole
    [InlineData("2026-03-02T06:00:00Z", "2026-03-02T06:00:00Z")]   // at the opening: whole
    [InlineData("2026-03-02T09:00:00Z", "2026-03-02T11:30:00Z")]   // inside: starts at its close
    [InlineData("2026-03-02T12:00:00Z", "2026-03-02T12:00:00Z")]   // after the close: tomorrow's is whole
    [InlineData("2026-07-01T09:30:00Z", "2026-07-01T10:30:00Z")]   // summer time: inside; the 11:30 local close is 10:30 UTC
    public void Watching_starts_with_the_first_whole_window(string since, string expected)
    {
        var window = new DailyWindow(new TimeOnly(6, 0), new TimeOnly(11, 30), London);

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture),
            window.FirstWholeWindowFrom(DateTimeOffset.Parse(since, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_overnight_window_entered_before_midnight_starts_at_its_close_the_next_morning()
    {
        var window = new DailyWindow(new TimeOnly(22, 0), new TimeOnly(2, 0), London);

        Assert.Equal(new DateTimeOffset(2026, 1, 11, 2, 0, 0, TimeSpan.Zero),
            window.FirstWholeWindowFrom(new DateTimeOffset(2026, 1, 10, 23, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Saving_again_keeps_the_start_of_unchanged_expectations_and_dates_changed_ones_anew()
    {
        var later = At.AddDays(2);
        var previous = Plan(scheduled: [Bp()], heartbeats: [new HeartbeatExpectation("p-1", "pendant_alarm", TimeSpan.FromMinutes(5), At)]);
        var next = Plan(scheduled: [Bp() with { Since = later }], heartbeats: [new HeartbeatExpectation("p-1", "pendant_alarm", TimeSpan.FromMinutes(10), later)]);

        var carried = next.CarryStartsFrom(previous);

        Assert.Equal(At, Assert.Single(carried.ScheduledReadings).Since);
        Assert.Equal(later, Assert.Single(carried.Heartbeats).Since);
    }
}
