namespace Telehealth.TestSupport;

/// <summary>What the <see cref="FhirTestServer"/> does instead of answering a write (PUT/POST) normally.</summary>
/// <param name="StatusCode">For <see cref="FhirTestFaultKind.Status"/> and <see cref="FhirTestFaultKind.Reject"/>.</param>
/// <param name="RetryAfter">Sent as a Retry-After header (whole seconds) with a status fault.</param>
/// <param name="ResourceType">Only writes of this resource type; null for every write.</param>
/// <param name="Diagnostics">OperationOutcome diagnostics of a rejection.</param>
public sealed record FhirTestFault(
    FhirTestFaultKind Kind,
    int StatusCode = 500,
    TimeSpan? RetryAfter = null,
    string? ResourceType = null,
    string? Diagnostics = null)
{
    public static FhirTestFault Status(int statusCode, TimeSpan? retryAfter = null) => new(FhirTestFaultKind.Status, statusCode, retryAfter);

    /// <summary>Holds the request open until the client gives up (or the server stops); nothing is stored.</summary>
    public static FhirTestFault Hang() => new(FhirTestFaultKind.Hang);

    /// <summary>Drops the connection without an answer, as a crashed server or a reset would.</summary>
    public static FhirTestFault Disconnect() => new(FhirTestFaultKind.Disconnect);

    /// <summary>400 with an OperationOutcome (error, invalid) for writes of one resource type.</summary>
    public static FhirTestFault Reject(string resourceType, string diagnostics) =>
        new(FhirTestFaultKind.Reject, 400, ResourceType: resourceType, Diagnostics: diagnostics);

    public bool Applies(string resourceType) => ResourceType is null || string.Equals(ResourceType, resourceType, StringComparison.Ordinal);
}
