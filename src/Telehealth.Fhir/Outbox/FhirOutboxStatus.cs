namespace Telehealth.Fhir.Outbox;

public enum FhirOutboxStatus
{
    /// <summary>Waiting to be sent (also after transient failures: it is retried).</summary>
    Pending,

    /// <summary>The server accepted it (2xx).</summary>
    Sent,

    /// <summary>The server rejected it (4xx other than 408/429); kept with the server's OperationOutcome, not retried.</summary>
    Failed,
}
