namespace Telehealth.Fhir.Outbox;

/// <summary>What the outbox knows about one entry, without the resource content (safe to list to staff).</summary>
/// <param name="LastError">The server's OperationOutcome JSON for a rejection, or what went wrong on the last try.</param>
public sealed record FhirOutboxEntry(
    long Seq,
    string PatientId,
    string ResourceType,
    string ResourceId,
    string IdentifierSystem,
    string IdentifierValue,
    FhirOutboxStatus Status,
    int Attempts,
    int? LastStatusCode,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt);
