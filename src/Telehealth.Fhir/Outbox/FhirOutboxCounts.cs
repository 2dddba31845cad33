namespace Telehealth.Fhir.Outbox;

public sealed record FhirOutboxCounts(int Pending, int Sent, int Failed);
