using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Clinician.Web.Demo;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Provisioning;
using Telehealth.TestSupport;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>
/// The defect this guards against: the demo, restarted after device-sim had added people with the same plan (so the
/// same display names), took over device-sim's people and rotated their device secrets. People are now matched by a
/// stable identifier (an NHS number from each source's own test-range block), and only one's own devices are rotated.
/// </summary>
[Trait("Hazard", "H9")]
public sealed class ProvisioningTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;

    [Fact]
    public async Task H9_a_demo_restart_never_takes_over_the_simulators_people_or_rotates_their_device_secrets()
    {
        var plan = new CaseloadFactory(seed: 20261125).Plan(3);
        var registry = Platform.Services.GetRequiredService<IDeviceRegistry>();
        using var http = Platform.CreateAnonymousClient();

        var demoFirst = await ProvisionInProcessAsync(plan);
        var simulator = await HttpCaseloadProvisioner.SignInAsync(http, TelehealthPlatform.AdminUsername, Platform.AdminPassword, CancellationToken.None);
        var simulated = new List<SimulatedHome>();
        foreach (var home in plan)
        {
            simulated.Add(await simulator.ProvisionAsync(home, CancellationToken.None));
        }
        var demoRestarted = await ProvisionInProcessAsync(plan);

        // Same names, different people: the simulator made its own, and the restarted demo found only its own.
        Assert.Empty(simulated.Select(h => h.PatientId).Intersect(demoFirst.Select(h => h.PatientId)));
        Assert.Equal(demoFirst.Select(h => h.PatientId), demoRestarted.Select(h => h.PatientId));
        Assert.Equal(DeviceIds(demoFirst), DeviceIds(demoRestarted));
        // The simulator's secrets still work; the demo's own were rotated (the old ones no longer do).
        foreach (var device in simulated.SelectMany(h => h.Devices))
        {
            Assert.NotNull(await registry.AuthenticateAsync(device.DeviceId, device.Secret));
        }
        foreach (var (before, after) in demoFirst.SelectMany(h => h.Devices).Zip(demoRestarted.SelectMany(h => h.Devices)))
        {
            Assert.Null(await registry.AuthenticateAsync(before.DeviceId, before.Secret));
            Assert.NotNull(await registry.AuthenticateAsync(after.DeviceId, after.Secret));
        }

        // device-sim run again with the same plan: its people are found by NHS number and get devices of their own;
        // nothing existing is rotated.
        var simulatedAgain = new List<SimulatedHome>();
        foreach (var home in plan)
        {
            simulatedAgain.Add(await simulator.ProvisionAsync(home, CancellationToken.None));
        }
        Assert.Equal(simulated.Select(h => h.PatientId), simulatedAgain.Select(h => h.PatientId));
        Assert.Empty(DeviceIds(simulated).Intersect(DeviceIds(simulatedAgain)));
        foreach (var device in simulated.Concat(demoRestarted).SelectMany(h => h.Devices))
        {
            Assert.NotNull(await registry.AuthenticateAsync(device.DeviceId, device.Secret));
        }
        var patients = await Platform.Services.GetRequiredService<IPatientRepository>().ListAsync();
        foreach (var home in plan)
        {
            string[] expected = [home.NhsNumberFor(SyntheticNhsNumbers.DemoBlock), home.NhsNumberFor(SyntheticNhsNumbers.SimulatorBlock)];
            Assert.Equal(expected, patients.Where(p => p.DisplayName == home.DisplayName).Select(p => p.NhsNumber ?? "").Order().ToArray());
        }
    }

    /// <summary>A demo start: a new provisioner (nothing remembered), over the same stores.</summary>
    private async Task<List<SimulatedHome>> ProvisionInProcessAsync(IReadOnlyList<PlannedHome> plan)
    {
        var services = Platform.Services;
        var provisioner = new InProcessCaseloadProvisioner(
            services.GetRequiredService<IPatientRepository>(),
            services.GetRequiredService<IDeviceRegistry>(),
            services.GetRequiredService<IOptions<AuthOptions>>(),
            TimeProvider.System);
        var homes = new List<SimulatedHome>();
        foreach (var home in plan)
        {
            homes.Add(await provisioner.ProvisionAsync(home, CancellationToken.None));
        }
        return homes;
    }

    private static string[] DeviceIds(IEnumerable<SimulatedHome> homes) => homes.SelectMany(h => h.Devices).Select(d => d.DeviceId).ToArray();
}
