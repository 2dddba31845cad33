namespace Telehealth.Fhir.Outbox;

/// <summary>
/// One resource version to send, already serialized: the outbox does not depend on the mapping, and what is sent
/// after a restart is exactly what was decided before it.
/// </summary>
/// <param name="PatientId">Whose record it belongs to; order is kept per patient.</param>
/// <param name="IdentifierSystem">With <paramref name="IdentifierValue"/>: the business identifier of the conditional update.</param>
/// <param name="Json">The resource as FHIR R4 JSON.</param>
public sealed record FhirOutboxItem(
    string PatientId,
    string ResourceType,
    string ResourceId,
    string IdentifierSystem,
    string IdentifierValue,
    string Json);
