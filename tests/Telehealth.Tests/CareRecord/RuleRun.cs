using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.CareRecord;

/// <summary>
/// Drives one rule the way an evaluator would: the state goes through its JSON form between evaluations (as it
/// would through a store), time comes from a fake clock, and <see cref="Restart"/> swaps in a fresh rule object.
/// </summary>
internal sealed class RuleRun(IAlertRule rule, FakeTimeProvider clock, string patientId = RuleRun.Patient)
{
    public const string Patient = "pat-1";

    private IAlertRule _rule = rule;

    public RuleState? State { get; private set; }

    public RuleEvaluation? Last { get; private set; }

    public FakeTimeProvider Clock => clock;

    public RuleEvaluation Feed(Observation? observation)
    {
        var stored = State is null ? null : new RuleState(State.Json);
        Last = _rule.Evaluate(new RuleInput(patientId, clock.GetUtcNow(), observation), stored);
        State = Last.State;
        return Last;
    }

    public RuleEvaluation Wake() => Feed(null);

    /// <summary>Advance the clock to <paramref name="at"/> and wake the rule, as a scheduler would at WakeAt.</summary>
    public RuleEvaluation WakeAt(DateTimeOffset at)
    {
        clock.SetUtcNow(at);
        return Wake();
    }

    public RuleEvaluation Reading(VitalKind kind, double value, string deviceId = "dev-1", TimeSpan? clockAhead = null)
    {
        var now = clock.GetUtcNow();
        return Feed(new ReadingObserved(new Reading(deviceId, patientId, kind, value, now + (clockAhead ?? TimeSpan.Zero), now)));
    }

    public RuleEvaluation Event(TelecareEventType type, string deviceId = "dev-1")
    {
        var now = clock.GetUtcNow();
        return Feed(new EventObserved(new TelecareEvent(deviceId, patientId, type, now, now)));
    }

    /// <summary>A process restart: a new rule object built from the same configuration, the state from the store.</summary>
    public void Restart(IAlertRule fresh) => _rule = fresh;

    public static FakeTimeProvider ClockAt(int year, int month, int day, int hour, int minute = 0) =>
        new(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero));
}
