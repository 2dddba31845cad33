namespace Telehealth.Fhir.Server.Search;

/// <summary>
/// A parsed search: the resource-specific parameters (each occurrence separately, since repeats are ANDed) and the
/// result controls. Unknown parameters were either refused (strict) or left out and listed in <see cref="Ignored"/>.
/// </summary>
public sealed record SearchRequest(
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    int Count,
    int Offset,
    SearchSort Sort,
    bool SortGiven,
    IReadOnlyList<string> Ignored)
{
    public IEnumerable<string> ValuesOf(string name) =>
        Parameters.Where(p => string.Equals(p.Key, name, StringComparison.Ordinal)).Select(p => p.Value);

    public string? SingleValueOf(string name)
    {
        var values = ValuesOf(name).ToList();
        return values.Count switch
        {
            0 => null,
            1 => values[0],
            _ => throw FhirServerException.BadRequest($"Parameter '{name}' may be given only once."),
        };
    }
}
