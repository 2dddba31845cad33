using Hl7.Fhir.Model;
using Telehealth.CareRecord.CarePlans;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>Each person's one care plan (once anything was set), visible when the person is on the caller's team.</summary>
public sealed class CarePlanSource(ICarePlanStore plans) : IFhirResourceSource
{
    public ResourceType ResourceType => ResourceType.CarePlan;

    public bool SupportsDateSort => false;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The person the care plan is for; without it, every care plan of the caller's team.", "http://hl7.org/fhir/SearchParameter/clinical-patient"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        FhirIds.TryParseCarePlanId(id, out var patientId) && await caller.CanSeeAsync(patientId, cancellationToken)
            ? CarePlanResources.ToCarePlan(await plans.GetAsync(patientId, cancellationToken))
            : null;

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var matches = new List<Resource>();
        foreach (var patientId in await VisiblePatientsAsync(request, caller, cancellationToken))
        {
            if (CarePlanResources.ToCarePlan(await plans.GetAsync(patientId, cancellationToken)) is { } plan)
            {
                matches.Add(plan);
            }
        }
        return SearchPage.Of(matches, request);
    }

    /// <summary>
    /// The people a goal or care plan search covers, scoped to the caller's team: the one asked for (none when not on
    /// the team), else the team's caseload in id order (one read each; a caseload is hundreds, not millions).
    /// </summary>
    internal static async Task<IReadOnlyList<string>> VisiblePatientsAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (SearchValues.PatientId(request) is { } patientId)
        {
            return await caller.CanSeeAsync(patientId, cancellationToken) ? [patientId] : [];
        }
        return [.. (await caller.TeamPatientsAsync(cancellationToken)).Select(p => p.Id).Order(StringComparer.Ordinal)];
    }
}
