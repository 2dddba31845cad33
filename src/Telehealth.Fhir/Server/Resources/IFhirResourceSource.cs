using Hl7.Fhir.Model;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>One resource type served at /fhir/{type}: read by id and search, both team-scoped through the caller.</summary>
public interface IFhirResourceSource
{
    ResourceType ResourceType { get; }

    IReadOnlyList<SearchParameterDefinition> SearchParameters { get; }

    /// <summary>Whether <c>_sort=date|-date</c> means something for this type (its clinically relevant time).</summary>
    bool SupportsDateSort { get; }

    /// <summary>The resource, or null when it does not exist or belongs to a patient outside the caller's team.</summary>
    Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken);

    Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken);
}
