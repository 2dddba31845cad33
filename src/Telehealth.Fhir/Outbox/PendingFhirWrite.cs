namespace Telehealth.Fhir.Outbox;

/// <summary>A pending entry with the resource JSON the worker sends.</summary>
public sealed record PendingFhirWrite(FhirOutboxEntry Entry, string Json);
