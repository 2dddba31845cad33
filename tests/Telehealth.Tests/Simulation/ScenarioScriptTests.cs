using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Scenarios;

namespace Telehealth.Tests.Simulation;

public sealed class ScenarioScriptTests
{
    private static readonly TimeSpan Onset = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Ramp = TimeSpan.FromSeconds(300);

    public static TheoryData<int> Seeds => new() { 1, 7, 42, 99, 2026 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DeterioratingSpo2_on_scale_1_is_normal_before_onset_and_below_92_by_the_end_of_the_ramp(int seed)
    {
        var oximeter = SimulationTestData.Device(SimulatedDeviceType.PulseOximeter);
        var home = SimulationTestData.Home(ScenarioKind.DeterioratingSpo2, oximeter);
        var generator = new VitalSignGenerator(seed);

        double Spo2At(TimeSpan t) => generator.ReadingsAt(home, oximeter, t).Single(r => r.Kind == VitalKind.Spo2).Value;

        for (var t = TimeSpan.Zero; t <= Onset; t += TimeSpan.FromSeconds(10))
        {
            Assert.InRange(Spo2At(t), 96, 100);
        }
        var firstBelow92 = FirstTime(t => Spo2At(t) < 92, Onset + Ramp + TimeSpan.FromMinutes(30));
        Assert.NotNull(firstBelow92);
        Assert.InRange(firstBelow92.Value, Onset, Onset + Ramp);
        // It stays there: a deterioration does not recover on its own in the script.
        for (var t = Onset + Ramp; t <= Onset + Ramp + TimeSpan.FromHours(2); t += TimeSpan.FromMinutes(1))
        {
            Assert.True(Spo2At(t) <= 87, $"SpO2 at {t} was {Spo2At(t)}");
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void DeterioratingSpo2_on_scale_2_reaches_a_scale_2_red_flag_of_83_or_less(int seed)
    {
        var oximeter = SimulationTestData.Device(SimulatedDeviceType.PulseOximeter);
        var home = new SimulatedHome("p", "home-001", [oximeter], SimulationTestData.Scenario(ScenarioKind.DeterioratingSpo2, copd: true));
        var generator = new VitalSignGenerator(seed);

        var before = generator.ReadingsAt(home, oximeter, Onset).Single(r => r.Kind == VitalKind.Spo2).Value;
        var worst = generator.ReadingsAt(home, oximeter, Onset + Ramp).Single(r => r.Kind == VitalKind.Spo2).Value;

        Assert.InRange(before, 89, 93);
        Assert.InRange(worst, 80, 83);
    }

    [Theory]
    [InlineData(ScenarioKind.DeterioratingSpo2, VitalKind.HeartRate, 72, 100)]
    [InlineData(ScenarioKind.DeterioratingSpo2, VitalKind.RespiratoryRate, 15, 24)]
    [InlineData(ScenarioKind.RisingTemperature, VitalKind.BodyTemperature, 36.6, 39.4)]
    [InlineData(ScenarioKind.RisingTemperature, VitalKind.HeartRate, 72, 102)]
    [InlineData(ScenarioKind.Hypotension, VitalKind.SystolicBp, 128, 80)]
    [InlineData(ScenarioKind.Hypotension, VitalKind.DiastolicBp, 76, 48)]
    [InlineData(ScenarioKind.Hypoglycaemia, VitalKind.BloodGlucose, 6.1, 2.3)]
    [InlineData(ScenarioKind.Stable, VitalKind.Spo2, 97, 97)]
    public void True_values_move_from_baseline_at_onset_to_the_worst_at_the_end_of_the_ramp(
        ScenarioKind kind, VitalKind vital, double atOnset, double atWorst)
    {
        // At multiples of 24 h the daily rhythm is zero, so the values are exact.
        var scenario = SimulationTestData.Scenario(kind, onsetSeconds: 24 * 3600, rampSeconds: 24 * 3600);
        var script = new ScenarioScript(scenario);

        Assert.Equal(atOnset, script.StateAt(scenario.Onset).ValueOf(vital), precision: 6);
        Assert.Equal(atWorst, script.StateAt(script.WorstAt).ValueOf(vital), precision: 6);
        Assert.Equal(atWorst, script.StateAt(script.WorstAt + TimeSpan.FromDays(1)).ValueOf(vital), precision: 6);
    }

    [Fact]
    public void FallThenInactivity_raises_a_fall_at_onset_and_inactivity_five_minutes_later()
    {
        var script = new ScenarioScript(SimulationTestData.Scenario(ScenarioKind.FallThenInactivity, onsetSeconds: 90));

        Assert.Equal(
            [new ScriptedEvent(TelecareEventType.FallDetected, TimeSpan.FromSeconds(90)), new ScriptedEvent(TelecareEventType.Inactivity, TimeSpan.FromSeconds(390))],
            script.AllEvents());
    }

    [Theory]
    [InlineData(0, 89, new TelecareEventType[0])]
    [InlineData(0, 90, new[] { TelecareEventType.FallDetected })]
    [InlineData(90, 389, new TelecareEventType[0])]
    [InlineData(90, 390, new[] { TelecareEventType.Inactivity })]
    [InlineData(0, 3600, new[] { TelecareEventType.FallDetected, TelecareEventType.Inactivity })]
    public void EventsBetween_takes_the_start_as_exclusive_and_the_end_as_inclusive(int fromSeconds, int toSeconds, TelecareEventType[] expected)
    {
        var script = new ScenarioScript(SimulationTestData.Scenario(ScenarioKind.FallThenInactivity, onsetSeconds: 90));

        var events = script.EventsBetween(TimeSpan.FromSeconds(fromSeconds), TimeSpan.FromSeconds(toSeconds));

        Assert.Equal(expected, events.Select(e => e.Type));
    }

    [Theory]
    [InlineData(ScenarioKind.PendantPress, 1)]
    [InlineData(ScenarioKind.Stable, 0)]
    [InlineData(ScenarioKind.DeterioratingSpo2, 0)]
    public void Only_telecare_scripts_raise_events(ScenarioKind kind, int expectedCount) =>
        Assert.Equal(expectedCount, new ScenarioScript(SimulationTestData.Scenario(kind)).AllEvents().Count);

    private static TimeSpan? FirstTime(Func<TimeSpan, bool> condition, TimeSpan until)
    {
        for (var t = TimeSpan.Zero; t <= until; t += TimeSpan.FromSeconds(1))
        {
            if (condition(t))
            {
                return t;
            }
        }
        return null;
    }
}
