using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>Red flags (alerts) as Flags; <c>status</c> filters on the Flag's status (active while the alert is not closed).</summary>
public sealed class FlagSource(FhirMapper mapper, AlertResources alerts) : IFhirResourceSource
{
    public ResourceType ResourceType => ResourceType.Flag;

    public bool SupportsDateSort => true;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient flagged; without it, every flag of the caller's team.", "http://hl7.org/fhir/SearchParameter/clinical-patient"),
        new("status", SearchParamType.Token, "active | inactive.", null),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        FhirIds.TryParseFlagId(id, out var alertId) && await alerts.GetVisibleAsync(alertId, caller, cancellationToken) is { } alert
            ? mapper.ToFlag(alert)
            : null;

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var statuses = SearchValues.Tokens(request, "status");
        var found = await alerts.SearchVisibleAsync(request, caller, cancellationToken);
        var matches = found
            .Select(mapper.ToFlag)
            .Where(flag => statuses.All(alternatives => alternatives.Any(token => token.MatchesCode(flag.Status?.GetLiteral()))))
            .ToList<Resource>();
        return SearchPage.Of(matches, request);
    }
}
