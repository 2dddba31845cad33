using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Server.Search;

/// <summary>A search parameter the endpoint supports for one resource type; also what the CapabilityStatement lists.</summary>
/// <param name="Definition">Canonical URL of the FHIR core SearchParameter this one implements, when there is one.</param>
public sealed record SearchParameterDefinition(string Name, SearchParamType Type, string Documentation, string? Definition = null);
