using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Server.Search;

/// <summary>
/// Reads a search's query string against the parameters a resource type supports. Strict by default: every unknown
/// or unsupported parameter (including modifiers such as <c>code:text</c>) is reported at once in a 400; with
/// <c>Prefer: handling=lenient</c> they are ignored and left out of the self link, as FHIR R4 search asks.
/// </summary>
public static class SearchRequestParser
{
    public const int DefaultCount = 50;
    public const int MaxCount = 500;

    /// <summary>Result and format controls accepted for every type; <c>_format</c> and <c>_pretty</c> are handled by content negotiation.</summary>
    private static readonly HashSet<string> Controls = new(StringComparer.Ordinal) { "_count", "_offset", "_sort", "_format", "_pretty" };

    public static SearchRequest Parse(
        IEnumerable<KeyValuePair<string, string?[]>> query,
        IReadOnlyList<SearchParameterDefinition> supported,
        bool lenient)
    {
        var problems = new List<FhirProblem>();
        var unknown = new List<string>();
        var parameters = new List<KeyValuePair<string, string>>();
        string? count = null, offset = null, sort = null;
        foreach (var (name, values) in query)
        {
            foreach (var value in values)
            {
                // FHIR: a parameter with an empty value is ignored.
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }
                switch (name)
                {
                    case "_count":
                        count = Once(name, count, value, problems);
                        continue;
                    case "_offset":
                        offset = Once(name, offset, value, problems);
                        continue;
                    case "_sort":
                        sort = Once(name, sort, value, problems);
                        continue;
                }
                if (Controls.Contains(name))
                {
                    continue;
                }
                if (supported.Any(p => string.Equals(p.Name, name, StringComparison.Ordinal)))
                {
                    parameters.Add(new(name, value));
                }
                else if (!unknown.Contains(name))
                {
                    unknown.Add(name);
                }
            }
        }
        if (unknown.Count > 0 && !lenient)
        {
            problems.Add(new FhirProblem(OperationOutcome.IssueType.NotSupported,
                $"Unknown or unsupported search parameter(s): {string.Join(", ", unknown)}. Supported: {string.Join(", ", supported.Select(p => p.Name).Concat(["_count", "_offset", "_sort"]))}. " +
                "Send 'Prefer: handling=lenient' to have unknown parameters ignored."));
        }
        var parsedCount = ParseCount(count, problems);
        var parsedOffset = ParseOffset(offset, problems);
        var parsedSort = ParseSort(sort, problems);
        if (problems.Count > 0)
        {
            throw new FhirServerException(400, problems);
        }
        return new SearchRequest(parameters, parsedCount, parsedOffset, parsedSort, sort is not null, lenient ? unknown : []);
    }

    /// <summary>True when the request asked for lenient handling (<c>Prefer: handling=lenient</c>).</summary>
    public static bool IsLenient(IEnumerable<string?> preferHeaders) =>
        preferHeaders
            .SelectMany(header => (header ?? string.Empty).Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Any(preference => string.Equals(preference.Replace(" ", string.Empty, StringComparison.Ordinal), "handling=lenient", StringComparison.OrdinalIgnoreCase));

    private static string? Once(string name, string? existing, string value, List<FhirProblem> problems)
    {
        if (existing is not null)
        {
            problems.Add(new FhirProblem(OperationOutcome.IssueType.Invalid, $"Parameter '{name}' may be given only once."));
        }
        return value;
    }

    private static int ParseCount(string? text, List<FhirProblem> problems)
    {
        if (text is null)
        {
            return DefaultCount;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            problems.Add(new FhirProblem(OperationOutcome.IssueType.Invalid, $"_count must be a whole number from 1 to {MaxCount}; got '{text}'."));
            return DefaultCount;
        }
        // A larger page is served at the maximum rather than refused; the next link carries on from there.
        return Math.Min(count, MaxCount);
    }

    private static int ParseOffset(string? text, List<FhirProblem> problems)
    {
        if (text is null)
        {
            return 0;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var offset))
        {
            problems.Add(new FhirProblem(OperationOutcome.IssueType.Invalid, $"_offset must be a whole number, 0 or more; got '{text}'."));
            return 0;
        }
        return offset;
    }

    private static SearchSort ParseSort(string? text, List<FhirProblem> problems)
    {
        switch (text)
        {
            case null or "-date":
                return SearchSort.DateDescending;
            case "date":
                return SearchSort.DateAscending;
            default:
                problems.Add(new FhirProblem(OperationOutcome.IssueType.NotSupported, $"_sort '{text}' is not supported: use 'date' (oldest first) or '-date' (newest first)."));
                return SearchSort.DateDescending;
        }
    }
}
