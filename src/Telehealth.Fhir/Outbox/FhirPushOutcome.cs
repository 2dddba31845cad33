namespace Telehealth.Fhir.Outbox;

public enum FhirPushOutcome
{
    /// <summary>2xx: the server holds this version.</summary>
    Sent,

    /// <summary>4xx other than 408/429: retrying the same content cannot succeed.</summary>
    Rejected,

    /// <summary>5xx, 408, 429, timeout or connection error, after the retries of this send.</summary>
    Transient,

    /// <summary>The circuit is open: nothing was sent; the server is left alone for a while.</summary>
    CircuitOpen,
}
