using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;

namespace Telehealth.Simulation.Provisioning;

/// <summary>Creates a planned home's patient and devices on the platform and returns it with the issued ids and secrets.</summary>
public interface ICaseloadProvisioner
{
    Task<SimulatedHome> ProvisionAsync(PlannedHome home, CancellationToken cancellationToken);
}
