namespace Telehealth.Fhir.Outbox;

/// <summary>
/// What one push of an outbox entry came to, to record (<see cref="IFhirOutbox.RecordAsync"/>): sent (with when),
/// rejected (failed, with the server's answer) or a transient failure (still pending, with the error).
/// </summary>
public sealed record FhirPushRecord(long Seq, FhirOutboxStatus Status, int Attempts, int? StatusCode, string? Error, DateTimeOffset? SentAt);
