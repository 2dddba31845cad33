using System.Text.Json;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Provisioning;

/// <summary>
/// Pre-provisioned credentials as JSON, so a run can skip the HTTP API:
/// <c>{"homes":[{"patientId":"p1","label":"home-001","scenario":"DeterioratingSpo2","devices":[{"deviceId":"d1","secret":"s","type":"pulse_oximeter"}]}]}</c>.
/// <c>label</c> and <c>scenario</c> are optional; a home's baseline and script timing come from the caseload plan
/// at the same position, so a file replays the same readings for the same seed.
/// </summary>
public static class DevicesFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads the file's homes. Throws <see cref="FormatException"/> listing every problem found.</summary>
    public static IReadOnlyList<SimulatedHome> Parse(string json, CaseloadFactory caseload)
    {
        ArgumentNullException.ThrowIfNull(caseload);
        FileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<FileDocument>(json, Json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"Devices file is not valid JSON: {exception.Message}", exception);
        }
        var fileHomes = document?.Homes ?? [];
        var plans = caseload.Plan(fileHomes.Count);
        var problems = new List<string>();
        var homes = new List<SimulatedHome>(fileHomes.Count);
        for (var i = 0; i < fileHomes.Count; i++)
        {
            var fileHome = fileHomes[i];
            var where = $"homes[{i}]";
            if (string.IsNullOrEmpty(fileHome.PatientId))
            {
                problems.Add($"{where}: patientId is missing.");
            }
            var scenario = plans[i].Scenario;
            if (fileHome.Scenario is not null)
            {
                if (Enum.TryParse<ScenarioKind>(fileHome.Scenario, ignoreCase: true, out var kind))
                {
                    scenario = scenario with { Kind = kind };
                }
                else
                {
                    problems.Add($"{where}: unknown scenario '{fileHome.Scenario}'.");
                }
            }
            var devices = new List<SimulatedDevice>();
            var fileDevices = fileHome.Devices ?? [];
            if (fileDevices.Count == 0)
            {
                problems.Add($"{where}: no devices.");
            }
            for (var j = 0; j < fileDevices.Count; j++)
            {
                var fileDevice = fileDevices[j];
                if (string.IsNullOrEmpty(fileDevice.DeviceId) || string.IsNullOrEmpty(fileDevice.Secret))
                {
                    problems.Add($"{where}.devices[{j}]: deviceId and secret are required.");
                }
                else if (!SimulatedDeviceTypes.TryParseWireName(fileDevice.Type, out var type))
                {
                    problems.Add($"{where}.devices[{j}]: unknown type '{fileDevice.Type}'.");
                }
                else
                {
                    devices.Add(new SimulatedDevice(fileDevice.DeviceId, fileDevice.Secret, type));
                }
            }
            homes.Add(new SimulatedHome(fileHome.PatientId ?? string.Empty, fileHome.Label ?? plans[i].Label, devices, scenario));
        }
        if (problems.Count > 0)
        {
            throw new FormatException("Devices file has problems: " + string.Join(" ", problems));
        }
        return homes;
    }

    /// <summary>Writes provisioned homes in the format <see cref="Parse"/> reads. The result holds device secrets.</summary>
    public static string Serialize(IReadOnlyList<SimulatedHome> homes)
    {
        ArgumentNullException.ThrowIfNull(homes);
        var document = new FileDocument(homes.Select(home => new FileHome(
            home.PatientId,
            home.Label,
            home.Scenario.Kind.ToString(),
            home.Devices.Select(d => new FileDevice(d.DeviceId, d.Secret, d.Type.WireName())).ToList())).ToList());
        return JsonSerializer.Serialize(document, Json);
    }

    private sealed record FileDocument(List<FileHome>? Homes);

    private sealed record FileHome(string? PatientId, string? Label, string? Scenario, List<FileDevice>? Devices);

    private sealed record FileDevice(string? DeviceId, string? Secret, string? Type);
}
