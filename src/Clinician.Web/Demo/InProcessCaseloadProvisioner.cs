using Microsoft.Extensions.Options;
using Telehealth.CareRecord.News2;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Provisioning;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Clinician.Web.Demo;

/// <summary>
/// Creates demo patients and devices directly in the platform's stores (the same stores the API writes).
/// Each demo person carries a stable identifier, an NHS number from the demo's own test-range block
/// (<see cref="SyntheticNhsNumbers.DemoBlock"/>); on a restart over the same data folder the person with that number is
/// reused, never one found by display name, so people added by device-sim or by staff are never taken over. Only
/// devices the demo itself registered (<see cref="ProvisionedBy"/>) get fresh secrets (only hashes are stored, so the old
/// ones cannot be read back); anybody else's devices are left alone.
/// </summary>
public sealed class InProcessCaseloadProvisioner(
    IPatientRepository patients,
    IDeviceRegistry devices,
    IOptions<AuthOptions> authOptions,
    TimeProvider timeProvider) : ICaseloadProvisioner
{
    public const string ProvisionedBy = "demo";

    private Dictionary<string, PatientRecord>? _existingByNhsNumber;

    public async Task<SimulatedHome> ProvisionAsync(PlannedHome home, CancellationToken cancellationToken)
    {
        var teamId = authOptions.Value.DefaultTeamId;
        _existingByNhsNumber ??= (await patients.ListAsync(teamId, cancellationToken))
            .Where(p => p.NhsNumber is not null)
            .GroupBy(p => p.NhsNumber!)
            .ToDictionary(g => g.Key, g => g.First());
        var nhsNumber = home.NhsNumberFor(SyntheticNhsNumbers.DemoBlock);

        if (_existingByNhsNumber.TryGetValue(nhsNumber, out var existing))
        {
            var simulated = new List<SimulatedDevice>();
            foreach (var device in await devices.ListAsync(existing.Id, cancellationToken))
            {
                if (device.ProvisionedBy == ProvisionedBy && device.IsAssigned && !device.IsRevoked
                    && SimulatedDeviceTypes.TryParseWireName(device.Type.WireName(), out var simulatedType)
                    && await devices.RotateSecretAsync(device.DeviceId, cancellationToken) is { } secret)
                {
                    simulated.Add(new SimulatedDevice(device.DeviceId, secret, simulatedType));
                }
            }
            // Device types the demo had not registered for this person yet (or whose device staff revoked) are added.
            foreach (var type in home.DeviceTypes.Where(t => simulated.All(d => d.Type != t)))
            {
                simulated.Add(await RegisterAsync(existing.Id, type, cancellationToken));
            }
            // In the plan's device order, as a first start gives them.
            return home.ToHome(existing.Id, [.. simulated.OrderBy(d => IndexOf(home.DeviceTypes, d.Type))]);
        }

        var patient = new PatientRecord(
            PatientIds.New(), home.DisplayName, nhsNumber, DateOfBirth: null,
            (News2Scale)home.News2Scale, home.OnSupplementalOxygen, teamId, timeProvider.GetUtcNow());
        if (await patients.CreateAsync(patient, cancellationToken) != PatientCreateResult.Created)
        {
            throw new InvalidOperationException($"Demo patient for {home.Label} could not be created.");
        }
        _existingByNhsNumber[nhsNumber] = patient;
        var registered = new List<SimulatedDevice>();
        foreach (var type in home.DeviceTypes)
        {
            registered.Add(await RegisterAsync(patient.Id, type, cancellationToken));
        }
        return home.ToHome(patient.Id, registered);
    }

    private static int IndexOf(IReadOnlyList<SimulatedDeviceType> types, SimulatedDeviceType type)
    {
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i] == type)
            {
                return i;
            }
        }
        return types.Count;
    }

    private async Task<SimulatedDevice> RegisterAsync(string patientId, SimulatedDeviceType type, CancellationToken cancellationToken)
    {
        if (!DeviceTypes.TryParseWireName(type.WireName(), out var deviceType))
        {
            throw new InvalidOperationException($"Simulated device type {type.WireName()} has no platform device type.");
        }
        var registration = await devices.RegisterAsync(patientId, deviceType, provisionedBy: ProvisionedBy, cancellationToken: cancellationToken);
        return new SimulatedDevice(registration.Device.DeviceId, registration.Secret, type);
    }
}
