using System.Text.Json.Nodes;

namespace Telehealth.TestSupport;

/// <summary>One resource version the <see cref="FhirTestServer"/> stored, in arrival order.</summary>
/// <param name="Arrival">1, 2, 3… across all resource types: the order writes were applied in.</param>
/// <param name="VersionId">1 for the create, then one more per update that changed the content.</param>
/// <param name="PatientId">The patient the resource is about (its own id for a Patient), from subject/patient/for.</param>
/// <param name="Json">The stored resource, meta included.</param>
public sealed record FhirTestServerWrite(
    long Arrival,
    string ResourceType,
    string Id,
    int VersionId,
    string? PatientId,
    JsonObject Json)
{
    /// <summary>The first identifier's <c>system|value</c>.</summary>
    public string? Identifier =>
        Json["identifier"] is JsonArray { Count: > 0 } identifiers
            ? $"{identifiers[0]?["system"]?.GetValue<string>()}|{identifiers[0]?["value"]?.GetValue<string>()}"
            : null;

    public string? Status => Json["status"]?.GetValue<string>();
}
