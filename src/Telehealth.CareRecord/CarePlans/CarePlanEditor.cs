using System.Globalization;
using Telehealth.Contracts;

namespace Telehealth.CareRecord.CarePlans;

/// <summary>
/// The rules for changing a person's goals and care plan, with no I/O: every change names who and why, a goal moves
/// only along <see cref="CanMove"/>, a new target date is not in the past, and each change is one new version of the
/// plan with a one-line summary for the timeline. Time comes in with the change (<see cref="CarePlanChange.At"/>).
/// </summary>
public static class CarePlanEditor
{
    public const int MaxDescriptionLength = 200;
    public const int MaxTargetMeasureLength = 200;
    public const int MaxScheduleLength = 100;
    public const int MaxPerformerLength = 100;
    public const int MaxReasonLength = 500;

    /// <summary>A plan a team can read at a glance; more than this is a sign it should be split or tidied.</summary>
    public const int MaxActivities = 20;

    public const int MaxOpenGoals = 20;

    /// <summary>
    /// Whether a goal may move from one status to another. Staying put is always allowed (editing the words or the
    /// date). Cancelled is final, so a goal taken up again is a new goal and each reads straight in the record.
    /// </summary>
    public static bool CanMove(GoalStatus from, GoalStatus to) => from == to || (from, to) switch
    {
        (GoalStatus.Proposed, GoalStatus.Active or GoalStatus.Cancelled) => true,
        (GoalStatus.Active, GoalStatus.Achieved or GoalStatus.Cancelled) => true,
        (GoalStatus.Achieved, GoalStatus.Active) => true, // the person lost the ground again
        _ => false,
    };

    /// <summary>A new goal: proposed or active, with a target date not before the day it is set.</summary>
    public static CarePlanEdit AddGoal(CarePlanRecord current, Guid goalId, GoalDraft draft, CarePlanChange change)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(change);
        change = change with { Reason = change.Reason?.Trim() ?? string.Empty };
        var problems = new Problems();
        CheckChange(change, problems);
        CheckDraft(Normalise(draft), previous: null, change.At, problems);
        if (draft.Status is not (GoalStatus.Proposed or GoalStatus.Active))
        {
            problems.Add("status", "A new goal is proposed or active.");
        }
        if (current.Goals.Count(g => g.Status is GoalStatus.Proposed or GoalStatus.Active) >= MaxOpenGoals)
        {
            problems.Add("goals", string.Create(CultureInfo.InvariantCulture, $"A person has at most {MaxOpenGoals} proposed or active goals."));
        }
        if (problems.Any)
        {
            return problems.Invalid();
        }
        var clean = Normalise(draft);
        var goal = new CareGoal(goalId, current.PatientId, clean.Description, clean.TargetMeasure, clean.TargetDate, clean.Status, 1,
            change.At, change.At, change);
        var next = Next(current, change) with { Goals = [.. current.Goals, goal] };
        var summary = $"Goal added: {goal.Description} ({Describe(goal)})";
        return Ready(next, new CarePlanRevision(next.Version, CarePlanRevisionKind.GoalAdded, goal.Id, goal.Version, summary, change));
    }

    /// <summary>A changed goal: the version given must be the one in force (else <see cref="CarePlanEditOutcome.Conflict"/>).</summary>
    public static CarePlanEdit ChangeGoal(CarePlanRecord current, Guid goalId, int expectedVersion, GoalDraft draft, CarePlanChange change)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(change);
        change = change with { Reason = change.Reason?.Trim() ?? string.Empty };
        if (current.Goal(goalId) is not { } previous)
        {
            return CarePlanEdit.NotFound;
        }
        if (previous.Version != expectedVersion)
        {
            return CarePlanEdit.Conflict(string.Create(CultureInfo.InvariantCulture,
                $"The goal is at version {previous.Version}, not {expectedVersion}: someone changed it meanwhile; reload and try again."));
        }
        var problems = new Problems();
        CheckChange(change, problems);
        var clean = Normalise(draft);
        CheckDraft(clean, previous, change.At, problems);
        if (!CanMove(previous.Status, clean.Status))
        {
            problems.Add("status", $"A goal cannot go from {WireNames.Of(previous.Status)} to {WireNames.Of(clean.Status)}.");
        }
        var differences = Differences(previous, clean);
        if (!problems.Any && differences.Count == 0)
        {
            problems.Add("goal", "Nothing changed.");
        }
        if (problems.Any)
        {
            return problems.Invalid();
        }
        var goal = previous with
        {
            Description = clean.Description,
            TargetMeasure = clean.TargetMeasure,
            TargetDate = clean.TargetDate,
            Status = clean.Status,
            Version = previous.Version + 1,
            StatusChangedAt = clean.Status == previous.Status ? previous.StatusChangedAt : change.At,
            LastChange = change,
        };
        var next = Next(current, change) with { Goals = [.. current.Goals.Select(g => g.Id == goalId ? goal : g)] };
        var summary = $"Goal {previous.Description}: {string.Join("; ", differences)}";
        return Ready(next, new CarePlanRevision(next.Version, CarePlanRevisionKind.GoalChanged, goal.Id, goal.Version, summary, change));
    }

    /// <summary>The care plan's activities replaced as a whole; <paramref name="expectedVersion"/> is the plan version read.</summary>
    public static CarePlanEdit ReplaceActivities(CarePlanRecord current, int expectedVersion, IReadOnlyList<CareActivity> activities, CarePlanChange change)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(activities);
        ArgumentNullException.ThrowIfNull(change);
        change = change with { Reason = change.Reason?.Trim() ?? string.Empty };
        if (current.Version != expectedVersion)
        {
            return CarePlanEdit.Conflict(string.Create(CultureInfo.InvariantCulture,
                $"The care plan is at version {current.Version}, not {expectedVersion}: someone changed it meanwhile; reload and try again."));
        }
        var problems = new Problems();
        CheckChange(change, problems);
        var clean = activities.Select(a => new CareActivity(Trim(a.Description), Trim(a.Schedule), Trim(a.Performer))).ToList();
        if (clean.Count > MaxActivities)
        {
            problems.Add("activities", string.Create(CultureInfo.InvariantCulture, $"A care plan holds at most {MaxActivities} activities."));
        }
        for (var i = 0; i < clean.Count; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"activities[{i}]");
            Text(problems, field, "description", clean[i].Description, MaxDescriptionLength, required: true);
            Text(problems, field, "schedule", clean[i].Schedule, MaxScheduleLength, required: true);
            Text(problems, field, "performer", clean[i].Performer, MaxPerformerLength, required: true);
            if (clean.Take(i).Contains(clean[i]))
            {
                problems.Add(field, "This activity is listed twice.");
            }
        }
        var added = clean.Where(a => !current.Activities.Contains(a)).ToList();
        var removed = current.Activities.Where(a => !clean.Contains(a)).ToList();
        if (!problems.Any && added.Count == 0 && removed.Count == 0 && clean.SequenceEqual(current.Activities))
        {
            problems.Add("activities", "Nothing changed.");
        }
        if (problems.Any)
        {
            return problems.Invalid();
        }
        var parts = added.Select(a => $"added {Describe(a)}").Concat(removed.Select(a => $"removed {Describe(a)}")).ToList();
        var summary = "Care plan activities: " + (parts.Count == 0 ? "reordered" : string.Join("; ", parts));
        var next = Next(current, change) with { Activities = clean };
        return Ready(next, new CarePlanRevision(next.Version, CarePlanRevisionKind.ActivitiesChanged, null, null, summary, change));
    }

    /// <summary>"active, target: walks 200 m with a frame, by 2026-12-20".</summary>
    public static string Describe(CareGoal goal)
    {
        ArgumentNullException.ThrowIfNull(goal);
        var text = WireNames.Of(goal.Status);
        if (goal.TargetMeasure is { } measure)
        {
            text += $", target: {measure}";
        }
        if (goal.TargetDate is { } date)
        {
            text += $", by {Date(date)}";
        }
        return text;
    }

    private static string Describe(CareActivity activity) => $"{activity.Description} ({activity.Schedule}, {activity.Performer})";

    private static List<string> Differences(CareGoal before, GoalDraft after)
    {
        var changes = new List<string>();
        if (before.Status != after.Status)
        {
            changes.Add($"status {WireNames.Of(before.Status)} → {WireNames.Of(after.Status)}");
        }
        if (!string.Equals(before.Description, after.Description, StringComparison.Ordinal))
        {
            changes.Add($"now {after.Description}");
        }
        if (!string.Equals(before.TargetMeasure, after.TargetMeasure, StringComparison.Ordinal))
        {
            changes.Add($"target {before.TargetMeasure ?? "none"} → {after.TargetMeasure ?? "none"}");
        }
        if (before.TargetDate != after.TargetDate)
        {
            changes.Add($"target date {(before.TargetDate is { } b ? Date(b) : "none")} → {(after.TargetDate is { } a ? Date(a) : "none")}");
        }
        return changes;
    }

    private static void CheckChange(CarePlanChange change, Problems problems)
    {
        if (string.IsNullOrWhiteSpace(change.ChangedBy))
        {
            problems.Add("changedBy", "The change must name who made it.");
        }
        if (change.Reason.Length is 0 or > MaxReasonLength)
        {
            problems.Add("reason", string.Create(CultureInfo.InvariantCulture,
                $"reason is required (at most {MaxReasonLength} characters): the change is part of the person's record."));
        }
    }

    private static void CheckDraft(GoalDraft draft, CareGoal? previous, DateTimeOffset at, Problems problems)
    {
        Text(problems, "description", null, draft.Description, MaxDescriptionLength, required: true);
        Text(problems, "targetMeasure", null, draft.TargetMeasure, MaxTargetMeasureLength, required: false);
        if (!Enum.IsDefined(draft.Status))
        {
            problems.Add("status", "status must be proposed, active, achieved or cancelled.");
        }
        // A date already passed is fine on a goal being closed or left alone, but a new or moved target is ahead.
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        if (draft.TargetDate is { } date && date != previous?.TargetDate && date < today)
        {
            problems.Add("targetDate", $"targetDate {Date(date)} is in the past (today is {Date(today)}).");
        }
    }

    private static void Text(Problems problems, string field, string? name, string? value, int max, bool required)
    {
        var label = name ?? field;
        if (required && string.IsNullOrEmpty(value))
        {
            problems.Add(field, $"{label} is required.");
        }
        else if (value is { } text && text.Length > max)
        {
            problems.Add(field, string.Create(CultureInfo.InvariantCulture, $"{label} is at most {max} characters."));
        }
    }

    private static GoalDraft Normalise(GoalDraft draft) => draft with
    {
        Description = Trim(draft.Description),
        TargetMeasure = string.IsNullOrWhiteSpace(draft.TargetMeasure) ? null : draft.TargetMeasure.Trim(),
    };

    private static string Trim(string? text) => text?.Trim() ?? string.Empty;

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static CarePlanRecord Next(CarePlanRecord current, CarePlanChange change) =>
        current with { Version = current.Version + 1, CreatedAt = current.CreatedAt ?? change.At, LastChange = change };

    private static CarePlanEdit Ready(CarePlanRecord next, CarePlanRevision revision) =>
        new(CarePlanEditOutcome.Ready, next, revision, new Dictionary<string, string[]>());

    private sealed class Problems
    {
        private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

        public bool Any => _byField.Count > 0;

        public void Add(string field, string problem)
        {
            if (!_byField.TryGetValue(field, out var list))
            {
                _byField[field] = list = [];
            }
            list.Add(problem);
        }

        public CarePlanEdit Invalid() => new(CarePlanEditOutcome.Invalid, null, null,
            _byField.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));
    }
}
