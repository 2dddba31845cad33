using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;

namespace Telehealth.Tests.Fhir;

/// <summary>The SDK's checks: strict JSON parsing, round trip, and structural (attribute) validation of the whole tree.</summary>
internal static class FhirValidation
{
    public static readonly FhirJsonSerializer Serializer = new();
    public static readonly FhirJsonDeserializer StrictDeserializer = FhirJsonDeserializer.STRICT;

    /// <summary>Cardinality, allowed types, primitive formats (id, uri, dateTime, code…), recursively.</summary>
    public static IReadOnlyList<string> StructuralErrors(Base resource) =>
        resource.Validate(ModelInfo.ModelInspector, NarrativeValidationKind.FhirXhtml, validator: null, validateRecursively: true)
            .Select(e => e.Message)
            .ToArray();
}
