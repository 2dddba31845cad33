using Hl7.Fhir.Model;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>The caller's team's caseload as Patients, in caseload order (display name, then id).</summary>
public sealed class PatientSource(FhirMapper mapper) : IFhirResourceSource
{
    public ResourceType ResourceType => ResourceType.Patient;

    public bool SupportsDateSort => false;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("_id", SearchParamType.Token, "Patient id (pat-…); ',' separates alternatives.", "http://hl7.org/fhir/SearchParameter/Resource-id"),
        new("identifier", SearchParamType.Token, "NHS number (https://fhir.nhs.uk/Id/nhs-number|9434765919) or platform identifier.", "http://hl7.org/fhir/SearchParameter/Patient-identifier"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        await caller.FindPatientAsync(id, cancellationToken) is { } patient ? mapper.ToPatient(patient) : null;

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var ids = request.ValuesOf("_id").Select(v => TokenSearchValue.SplitAlternatives(v).ToHashSet(StringComparer.Ordinal)).ToList();
        var identifiers = SearchValues.Tokens(request, "identifier");
        var matches = (await caller.TeamPatientsAsync(cancellationToken))
            .Where(p => ids.All(alternatives => alternatives.Contains(p.Id)))
            .Select(mapper.ToPatient)
            .Where(patient => identifiers.All(alternatives => alternatives.Any(token => patient.Identifier.Any(token.Matches))))
            .ToList<Resource>();
        return SearchPage.Of(matches, request);
    }
}
