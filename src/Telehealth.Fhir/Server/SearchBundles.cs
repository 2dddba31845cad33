using System.Text;
using Hl7.Fhir.Model;
using Telehealth.Fhir.Server.Resources;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server;

/// <summary>
/// Builds the searchset Bundle of one page: total, entries with fullUrl and search mode, warnings as an outcome
/// entry, and absolute self/first/previous/next links built from the parameters actually used (ignored ones are left
/// out, as FHIR asks), so following next from the first page visits every match exactly once.
/// </summary>
public static class SearchBundles
{
    public static Bundle Build(string baseUrl, string resourceType, SearchRequest request, SearchPage page, DateTimeOffset now)
    {
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { LastUpdated = now },
            Type = Bundle.BundleType.Searchset,
            Total = page.Total,
        };
        bundle.Link.Add(Link("self", baseUrl, resourceType, request, request.Offset));
        bundle.Link.Add(Link("first", baseUrl, resourceType, request, 0));
        if (request.Offset > 0)
        {
            bundle.Link.Add(Link("previous", baseUrl, resourceType, request, Math.Max(0, Math.Min(request.Offset, page.Total) - request.Count)));
        }
        if (request.Offset + request.Count < page.Total)
        {
            bundle.Link.Add(Link("next", baseUrl, resourceType, request, request.Offset + request.Count));
        }
        foreach (var resource in page.Resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }
        var warnings = page.Warnings.ToList();
        if (request.Ignored.Count > 0)
        {
            warnings.Add(new FhirProblem(OperationOutcome.IssueType.NotSupported,
                $"Ignored unknown search parameter(s): {string.Join(", ", request.Ignored)}.", OperationOutcome.IssueSeverity.Warning));
        }
        if (warnings.Count > 0)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = OperationOutcomes.Of(warnings),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
            });
        }
        return bundle;
    }

    private static Bundle.LinkComponent Link(string relation, string baseUrl, string resourceType, SearchRequest request, int offset)
    {
        var query = new StringBuilder();
        void Add(string name, string value)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        foreach (var (name, value) in request.Parameters)
        {
            Add(name, value);
        }
        if (request.SortGiven)
        {
            Add("_sort", request.Sort == SearchSort.DateAscending ? "date" : "-date");
        }
        Add("_count", request.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("_offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Bundle.LinkComponent { Relation = relation, Url = $"{baseUrl}/{resourceType}{query}" };
    }
}
