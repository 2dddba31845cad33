using Microsoft.Extensions.Options;
using Telehealth.Alerts.Caseload;
using Telehealth.CareRecord.News2;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Gateway.Devices;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Provisioning;

namespace Telehealth.Clinician.Web.Demo;

/// <summary>
/// Creates demo patients and devices directly in the platform's stores (the same stores the API writes).
/// On a restart over the same data folder, a planned home whose person already exists is reused, and its
/// devices get fresh secrets (only hashes are stored, so the old ones cannot be read back).
/// </summary>
public sealed class InProcessCaseloadProvisioner(
    IPatientRepository patients,
    IDeviceRegistry devices,
    IOptions<AuthOptions> authOptions,
    TimeProvider timeProvider) : ICaseloadProvisioner
{
    private Dictionary<string, PatientRecord>? _existingByName;

    public async Task<SimulatedHome> ProvisionAsync(PlannedHome home, CancellationToken cancellationToken)
    {
        var teamId = authOptions.Value.DefaultTeamId;
        _existingByName ??= (await patients.ListAsync(teamId, cancellationToken))
            .GroupBy(p => p.DisplayName)
            .ToDictionary(g => g.Key, g => g.First());

        if (_existingByName.TryGetValue(home.DisplayName, out var existing))
        {
            var simulated = new List<SimulatedDevice>();
            foreach (var device in await devices.ListAsync(existing.Id, cancellationToken))
            {
                if (SimulatedDeviceTypes.TryParseWireName(device.Type.WireName(), out var simulatedType)
                    && await devices.RotateSecretAsync(device.DeviceId, cancellationToken) is { } secret)
                {
                    simulated.Add(new SimulatedDevice(device.DeviceId, secret, simulatedType));
                }
            }
            return home.ToHome(existing.Id, simulated);
        }

        var patient = new PatientRecord(
            PatientIds.New(), home.DisplayName, NhsNumber: null, DateOfBirth: null,
            (News2Scale)home.News2Scale, home.OnSupplementalOxygen, teamId, timeProvider.GetUtcNow());
        if (await patients.CreateAsync(patient, cancellationToken) != PatientCreateResult.Created)
        {
            throw new InvalidOperationException($"Demo patient for {home.Label} could not be created.");
        }
        var registered = new List<SimulatedDevice>();
        foreach (var type in home.DeviceTypes)
        {
            if (!DeviceTypes.TryParseWireName(type.WireName(), out var deviceType))
            {
                throw new InvalidOperationException($"Simulated device type {type.WireName()} has no platform device type.");
            }
            var registration = await devices.RegisterAsync(patient.Id, deviceType, cancellationToken);
            registered.Add(new SimulatedDevice(registration.Device.DeviceId, registration.Secret, type));
        }
        return home.ToHome(patient.Id, registered);
    }
}
