using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Server.Search;

/// <summary>
/// One value of a FHIR token parameter: <c>code</c> (any system), <c>system|code</c>, <c>|code</c> (a code without a
/// system) or <c>system|</c> (any code of the system).
/// </summary>
/// <param name="System">Null: any system. Empty: only codes without a system.</param>
/// <param name="Code">Null: any code of <paramref name="System"/>.</param>
public sealed record TokenSearchValue(string? System, string? Code)
{
    public static TokenSearchValue Parse(string text)
    {
        var bar = IndexOfUnescaped(text, '|');
        if (bar < 0)
        {
            return new TokenSearchValue(null, Unescape(text));
        }
        var code = Unescape(text[(bar + 1)..]);
        return new TokenSearchValue(Unescape(text[..bar]), code.Length == 0 ? null : code);
    }

    /// <summary>Splits a parameter value on unescaped commas: the values are alternatives (OR).</summary>
    public static IReadOnlyList<string> SplitAlternatives(string text)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    public bool Matches(Coding coding) =>
        (Code is null || string.Equals(coding.Code, Code, StringComparison.Ordinal))
        && (System is null || string.Equals(coding.System ?? string.Empty, System, StringComparison.Ordinal));

    public bool Matches(CodeableConcept? concept) => concept?.Coding.Any(Matches) ?? false;

    public bool Matches(Identifier identifier) =>
        (Code is null || string.Equals(identifier.Value, Code, StringComparison.Ordinal))
        && (System is null || string.Equals(identifier.System ?? string.Empty, System, StringComparison.Ordinal));

    /// <summary>A plain code (status and other code elements have no system).</summary>
    public bool MatchesCode(string? code) => System is null or "" ? Code is null || string.Equals(code, Code, StringComparison.Ordinal) : false;

    private static int IndexOfUnescaped(string text, char wanted)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == wanted)
            {
                return i;
            }
        }
        return -1;
    }

    private static string Unescape(string text) =>
        text.Replace(@"\,", ",", StringComparison.Ordinal).Replace(@"\|", "|", StringComparison.Ordinal).Replace(@"\$", "$", StringComparison.Ordinal).Replace(@"\\", @"\", StringComparison.Ordinal);
}
