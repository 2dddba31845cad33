
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Fhir.Server;

/// <summary>
/// The staff member behind one request, and the team-scoping rule: a patient outside the caller's team does not
/// exist for them (read answers 404, search leaves it out), so the endpoint never discloses who is on another caseload.
/// Patient look-ups are cached for the request.
/// </summary>
public sealed class FhirCaller(string teamId, IPatientRepository patients)
{
    private readonly Dictionary<string, PatientRecord?> _inTeam = new(StringComparer.Ordinal);

    public string TeamId { get; } = teamId;

    /// <summary>The patient when it exists and belongs to the caller's team; otherwise null.</summary>
    public async Task<PatientRecord?> FindPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        if (!_inTeam.TryGetValue(patientId, out var patient))
        {
            var found = await patients.GetAsync(patientId, cancellationToken);
            patient = found is not null && found.TeamId == TeamId ? found : null;
            _inTeam[patientId] = patient;
        }
        return patient;
    }

    public async Task<bool> CanSeeAsync(string patientId, CancellationToken cancellationToken) =>
        await FindPatientAsync(patientId, cancellationToken) is not null;

    public Task<IReadOnlyList<PatientRecord>> TeamPatientsAsync(CancellationToken cancellationToken) => patients.ListAsync(TeamId, cancellationToken);
}
