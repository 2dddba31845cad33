namespace Telehealth.Fhir.Outbox;

/// <param name="Attempts">HTTP requests made (retries included).</param>
/// <param name="Error">The server's answer (OperationOutcome JSON) or the failure; null when sent.</param>
/// <param name="RetryAfter">For <see cref="FhirPushOutcome.CircuitOpen"/>: when the breaker lets a trial through.</param>
public sealed record FhirPushResult(FhirPushOutcome Outcome, int? StatusCode, int Attempts, string? Error, TimeSpan? RetryAfter = null);
