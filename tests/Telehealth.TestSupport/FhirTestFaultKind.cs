namespace Telehealth.TestSupport;

public enum FhirTestFaultKind
{
    /// <summary>Answer with a status code (500, 503…), optionally with Retry-After, an OperationOutcome body.</summary>
    Status,

    /// <summary>Never answer: hold the request until the client aborts it.</summary>
    Hang,

    /// <summary>Abort the connection.</summary>
    Disconnect,

    /// <summary>400 with an OperationOutcome naming the problem.</summary>
    Reject,
}
