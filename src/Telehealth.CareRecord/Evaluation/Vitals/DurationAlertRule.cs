using System.Globalization;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// A vital beyond a limit for a time (<see cref="DurationCondition"/>). NotYet while the condition has held for
/// less than the duration, with WakeAt at the moment it would be met if nothing changes; the run's start is in
/// the state, so a half-met duration survives a restart.
/// </summary>
public sealed class DurationAlertRule(DurationCondition condition) : AlertRule<DurationRuleState>
{
    public override string Key { get; } = condition.Key;

    protected override DurationRuleState Initial { get; } = new();

    protected override (RuleVerdict, RuleFinding?, DurationRuleState, DateTimeOffset?) Decide(RuleInput input, DurationRuleState state)
    {
        var now = input.Now;
        if (input.Observation is ReadingObserved { Reading: var reading } observed && reading.Kind == condition.Kind)
        {
            if (state.LatestAt is { } latest && observed.At < latest)
            {
                return (RuleVerdict.Unknown, null, state, WakeOf(state, now));
            }
            var at = observed.At;
            state = state with { LatestAt = at };
            if (condition.IsMetBy(reading.Value))
            {
                var broken = state.LastMetAt is not { } last || at - last > condition.MaxGap;
                state = state with
                {
                    HoldingSince = broken && !state.Raised ? at : state.HoldingSince ?? at,
                    LastMetAt = at,
                    LastValue = reading.Value,
                };
            }
            else if (!state.Raised || condition.IsClearedBy(reading.Value))
            {
                return (RuleVerdict.False, null, new DurationRuleState(LatestAt: at), null);
            }
            // Raised and hovering just on the good side of the limit: still present (hysteresis).
        }
        else if (input.Observation is not null)
        {
            return (RuleVerdict.Unknown, null, state, WakeOf(state, now));
        }

        if (state.Raised)
        {
            // Silence after the condition was met never clears it; only a reading on the good side does.
            return (RuleVerdict.True, Finding(state), state, null);
        }
        if (state.HoldingSince is not { } since || state.LastMetAt is not { } lastMet)
        {
            return (RuleVerdict.False, null, state, null);
        }
        var heldUntil = Min(now, lastMet + condition.MaxGap);
        if (heldUntil - since >= condition.Duration)
        {
            state = state with { Raised = true };
            return (RuleVerdict.True, Finding(state), state, null);
        }
        if (now >= lastMet + condition.MaxGap)
        {
            // The data stopped before the duration was reached: the run does not count.
            return (RuleVerdict.False, null, state with { HoldingSince = null, LastMetAt = null }, null);
        }
        return (RuleVerdict.NotYet, null, state, WakeOf(state, now));
    }

    private DateTimeOffset? WakeOf(DurationRuleState state, DateTimeOffset now)
    {
        if (state.Raised || state.HoldingSince is not { } since || state.LastMetAt is not { } lastMet)
        {
            return null;
        }
        var metAt = since + condition.Duration;
        var gapAt = lastMet + condition.MaxGap;
        // Met if the value persists until then; otherwise look again when the gap breaks the run.
        return metAt <= gapAt ? metAt : gapAt;
    }

    private RuleFinding Finding(DurationRuleState state)
    {
        var kind = condition.Kind;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"{VitalLabels.Name(kind)} {(condition.Below ? "below" : "above")} {VitalLabels.Quantity(kind, condition.Limit)} for {condition.Duration.TotalMinutes:0} min or more (latest {VitalLabels.Quantity(kind, state.LastValue ?? condition.Limit)})");
        var measure = state.LastValue is { } value ? Math.Abs(value - condition.Limit) : (double?)null;
        return new RuleFinding(Key, condition.Severity, condition.Below ? "below_for_duration" : "above_for_duration", reason,
            Instantaneous: false, state.HoldingSince!.Value + condition.Duration, Measure: measure);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
