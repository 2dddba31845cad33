namespace Telehealth.Fhir.Server.Search;

/// <summary>FHIR R4 search prefixes for ordered values (https://hl7.org/fhir/R4/search.html#prefix). Ap is not supported.</summary>
public enum DatePrefix
{
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Sa,
    Eb,
}
