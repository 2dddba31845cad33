using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Telehealth.Fhir.Server;

/// <summary>The one FHIR R4 JSON serializer the endpoint uses (built once: the first use costs about half a second).</summary>
public static class FhirJson
{
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public static string Serialize(Resource resource, bool pretty = false) => Serializer.SerializeToString(resource, pretty);
}
