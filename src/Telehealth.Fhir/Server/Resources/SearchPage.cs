using Hl7.Fhir.Model;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>One page of a search: how many resources match in all, this page's resources, and warnings for the client.</summary>
public sealed record SearchPage(int Total, IReadOnlyList<Resource> Resources, IReadOnlyList<FhirProblem> Warnings)
{
    public static SearchPage Empty { get; } = new(0, [], []);

    /// <summary>Pages an already filtered and ordered list, mapping only the resources on the page.</summary>
    public static async Task<SearchPage> OfAsync<T>(
        IReadOnlyList<T> orderedMatches, SearchRequest request, Func<IReadOnlyList<T>, Task<IReadOnlyList<Resource>>> map,
        IReadOnlyList<FhirProblem>? warnings = null)
    {
        var page = orderedMatches.Skip(request.Offset).Take(request.Count).ToList();
        var resources = page.Count == 0 ? [] : await map(page);
        return new SearchPage(orderedMatches.Count, resources, warnings ?? []);
    }

    /// <summary>Pages resources that are cheap to map, so they were mapped and filtered before paging.</summary>
    public static SearchPage Of(IReadOnlyList<Resource> orderedMatches, SearchRequest request, IReadOnlyList<FhirProblem>? warnings = null) =>
        new(orderedMatches.Count, orderedMatches.Skip(request.Offset).Take(request.Count).ToList(), warnings ?? []);
}
