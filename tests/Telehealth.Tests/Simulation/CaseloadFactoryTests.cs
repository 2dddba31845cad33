using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;

namespace Telehealth.Tests.Simulation;

public sealed class CaseloadFactoryTests
{
    [Fact]
    public void Twenty_homes_hold_every_scenario_once_and_fourteen_stable_homes()
    {
        var homes = new CaseloadFactory(42).Plan(20);

        Assert.Equal(20, homes.Count);
        Assert.Equal(14, homes.Count(h => h.Scenario.Kind == ScenarioKind.Stable));
        foreach (var kind in CaseloadFactory.ScriptedKinds)
        {
            Assert.Single(homes, h => h.Scenario.Kind == kind);
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(5, 2)]
    [InlineData(10, 3)]
    [InlineData(20, 6)]
    [InlineData(50, 15)]
    [InlineData(100, 30)]
    public void About_thirty_percent_of_homes_follow_a_script(int count, int expectedScripted) =>
        Assert.Equal(expectedScripted, new CaseloadFactory(7).Plan(count).Count(h => h.Scenario.Kind != ScenarioKind.Stable));

    [Fact]
    public void The_same_seed_plans_the_same_caseload_and_another_seed_a_different_one()
    {
        var first = new CaseloadFactory(42).Plan(20);
        var again = new CaseloadFactory(42).Plan(20);
        var other = new CaseloadFactory(43).Plan(20);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"home-{i:000}"), first.Select(h => h.Label));
        Assert.Equal(first.Select(Describe), again.Select(Describe));
        Assert.NotEqual(first.Select(Describe), other.Select(Describe));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(250)]
    public void Display_names_are_unique_and_built_from_the_fictional_lists(int count)
    {
        var names = new CaseloadFactory(42).Plan(count).Select(h => h.DisplayName).ToList();

        Assert.Equal(count, names.Distinct().Count());
        Assert.All(names, name => Assert.Matches(@"^[A-Z][a-z]+ [A-Z][a-z]+(-[A-Z][a-z]+)?( \d+)?$", name));
    }

    [Theory]
    [InlineData(ScenarioKind.DeterioratingSpo2, SimulatedDeviceType.PulseOximeter)]
    [InlineData(ScenarioKind.RisingTemperature, SimulatedDeviceType.Thermometer)]
    [InlineData(ScenarioKind.Hypotension, SimulatedDeviceType.BloodPressureMonitor)]
    [InlineData(ScenarioKind.FallThenInactivity, SimulatedDeviceType.FallDetector)]
    [InlineData(ScenarioKind.PendantPress, SimulatedDeviceType.PendantAlarm)]
    [InlineData(ScenarioKind.Hypoglycaemia, SimulatedDeviceType.Glucometer)]
    public void Every_scripted_home_has_the_device_that_shows_its_script(ScenarioKind kind, SimulatedDeviceType needed)
    {
        var homes = new CaseloadFactory(3).Plan(100).Where(h => h.Scenario.Kind == kind).ToList();

        Assert.Equal(5, homes.Count);
        Assert.All(homes, h => Assert.Contains(needed, h.DeviceTypes));
    }

    [Fact]
    public void Every_home_has_an_oximeter_and_no_device_type_twice()
    {
        var homes = new CaseloadFactory(11).Plan(60);

        Assert.All(homes, h => Assert.Contains(SimulatedDeviceType.PulseOximeter, h.DeviceTypes));
        Assert.All(homes, h => Assert.Equal(h.DeviceTypes.Count, h.DeviceTypes.Distinct().Count()));
    }

    [Fact]
    public void COPD_homes_use_NEWS2_scale_2_and_only_they_may_be_on_oxygen()
    {
        var homes = new CaseloadFactory(5).Plan(200);

        Assert.All(homes, h => Assert.Equal(h.Scenario.HasHypercapnicRespiratoryFailure ? 2 : 1, h.News2Scale));
        Assert.All(homes.Where(h => h.OnSupplementalOxygen), h => Assert.Equal(2, h.News2Scale));
        Assert.Contains(homes, h => h.News2Scale == 2 && h.Scenario.Kind == ScenarioKind.Stable);
        // Desaturating homes alternate COPD / not, starting with COPD.
        var desaturating = homes.Where(h => h.Scenario.Kind == ScenarioKind.DeterioratingSpo2).ToList();
        Assert.Equal(10, desaturating.Count);
        Assert.Equal([2, 1, 2, 1, 2, 1, 2, 1, 2, 1], desaturating.Select(h => h.News2Scale));
    }

    [Fact]
    public void Scripts_start_within_four_scenario_minutes_and_worsen_over_four_to_six()
    {
        var homes = new CaseloadFactory(9).Plan(100).Where(h => h.Scenario.Kind != ScenarioKind.Stable).ToList();

        Assert.All(homes, h => Assert.InRange(h.Scenario.Onset, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(4)));
        Assert.All(homes, h => Assert.InRange(h.Scenario.Ramp, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6)));
    }

    [Fact]
    public void ToHome_keeps_the_label_and_script_and_takes_the_issued_ids()
    {
        var planned = new CaseloadFactory(42).Plan(1)[0];
        var devices = planned.DeviceTypes.Select((t, i) => new SimulatedDevice($"dev-{i}", "s", t)).ToList();

        var home = planned.ToHome("patient-9", devices);

        Assert.Equal(new SimulatedHome("patient-9", "home-001", devices, planned.Scenario), home);
    }

    private static string Describe(PlannedHome h) =>
        $"{h.Label}|{h.DisplayName}|{h.News2Scale}|{h.OnSupplementalOxygen}|{string.Join(",", h.DeviceTypes)}|{h.Scenario}";
}
