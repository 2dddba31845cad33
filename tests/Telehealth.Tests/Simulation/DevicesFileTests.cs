using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Provisioning;

namespace Telehealth.Tests.Simulation;

public sealed class DevicesFileTests
{
    [Fact]
    public void Serialized_homes_read_back_equal()
    {
        var caseload = new CaseloadFactory(42);
        var homes = caseload.Plan(3)
            .Select((plan, i) => plan.ToHome($"patient-{i}", plan.DeviceTypes.Select((t, j) => new SimulatedDevice($"dev-{i}-{j}", $"secret-{i}-{j}", t)).ToList()))
            .ToList();

        var read = DevicesFile.Parse(DevicesFile.Serialize(homes), caseload);

        Assert.Equal(3, read.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((homes[i].PatientId, homes[i].Label, homes[i].Scenario), (read[i].PatientId, read[i].Label, read[i].Scenario));
            Assert.Equal(homes[i].Devices, read[i].Devices);
        }
    }

    [Fact]
    public void A_minimal_file_takes_label_and_script_from_the_plan_and_may_name_a_scenario()
    {
        const string json = """
            {"homes":[
              {"patientId":"p1","devices":[{"deviceId":"d1","secret":"s1","type":"pulse_oximeter"}]},
              {"patientId":"p2","scenario":"hypotension","devices":[{"deviceId":"d2","secret":"s2","type":"blood_pressure_monitor"}]}
            ]}
            """;
        var plan = new CaseloadFactory(42).Plan(2);

        var homes = DevicesFile.Parse(json, new CaseloadFactory(42));

        Assert.Equal(("p1", "home-001"), (homes[0].PatientId, homes[0].Label));
        Assert.Equal([new SimulatedDevice("d1", "s1", SimulatedDeviceType.PulseOximeter)], homes[0].Devices);
        Assert.Equal(plan[0].Scenario, homes[0].Scenario);
        Assert.Equal("home-002", homes[1].Label);
        Assert.Equal(plan[1].Scenario with { Kind = ScenarioKind.Hypotension }, homes[1].Scenario);
    }

    [Fact]
    public void Every_problem_in_a_file_is_reported_together()
    {
        const string json = """
            {"homes":[
              {"devices":[{"deviceId":"d1","type":"pulse_oximeter"}]},
              {"patientId":"p2","scenario":"flu","devices":[{"deviceId":"d2","secret":"s2","type":"toaster"}]},
              {"patientId":"p3","devices":[]}
            ]}
            """;

        var exception = Assert.Throws<FormatException>(() => DevicesFile.Parse(json, new CaseloadFactory(1)));

        Assert.Contains("homes[0]: patientId is missing.", exception.Message);
        Assert.Contains("homes[0].devices[0]: deviceId and secret are required.", exception.Message);
        Assert.Contains("homes[1]: unknown scenario 'flu'.", exception.Message);
        Assert.Contains("homes[1].devices[0]: unknown type 'toaster'.", exception.Message);
        Assert.Contains("homes[2]: no devices.", exception.Message);
    }

    [Fact]
    public void Malformed_JSON_is_a_format_error() =>
        Assert.Throws<FormatException>(() => DevicesFile.Parse("{\"homes\":[", new CaseloadFactory(1)));
}
