namespace Telehealth.Fhir.Server.Search;

/// <summary>Parses the typed values of a search, collecting every bad value before answering 400 once.</summary>
public static class SearchValues
{
    /// <summary>Every date value given for <paramref name="name"/> (repeats are ANDed; alternatives with ',' are not supported for dates).</summary>
    public static IReadOnlyList<DateSearchValue> Dates(SearchRequest request, string name)
    {
        var values = new List<DateSearchValue>();
        var problems = new List<FhirProblem>();
        foreach (var text in request.ValuesOf(name))
        {
            if (text.Contains(',', StringComparison.Ordinal))
            {
                problems.Add(new FhirProblem(Hl7.Fhir.Model.OperationOutcome.IssueType.NotSupported, $"{name}='{text}': alternatives separated by ',' are not supported for dates; repeat the parameter to narrow instead."));
                continue;
            }
            if (DateSearchValue.TryParse(text, out var value, out var error))
            {
                values.Add(value!);
            }
            else
            {
                problems.Add(new FhirProblem(Hl7.Fhir.Model.OperationOutcome.IssueType.Invalid, $"{name}: {error}"));
            }
        }
        return problems.Count > 0 ? throw new FhirServerException(400, problems) : values;
    }

    /// <summary>Each occurrence of a token parameter as its alternatives: a match needs one alternative of every occurrence.</summary>
    public static IReadOnlyList<IReadOnlyList<TokenSearchValue>> Tokens(SearchRequest request, string name) =>
        request.ValuesOf(name).Select(text => (IReadOnlyList<TokenSearchValue>)TokenSearchValue.SplitAlternatives(text).Select(TokenSearchValue.Parse).ToList()).ToList();

    /// <summary>The single patient a search is about, or null when none was given.</summary>
    public static string? PatientId(SearchRequest request)
    {
        var value = request.SingleValueOf("patient");
        if (value is null)
        {
            return null;
        }
        if (TokenSearchValue.SplitAlternatives(value).Count > 1)
        {
            throw FhirServerException.NotSupported(400, "patient: search one patient at a time (alternatives separated by ',' are not supported).");
        }
        return PatientReference.ParseId(value);
    }

    public static string RequiredPatientId(SearchRequest request, string resourceType) =>
        PatientId(request) ?? throw new FhirServerException(400, Hl7.Fhir.Model.OperationOutcome.IssueType.Required,
            $"{resourceType} search needs the patient parameter (e.g. ?patient=pat-…): searching across every patient is not supported.");
}
