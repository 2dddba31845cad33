using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Server;

/// <summary>
/// A request the FHIR endpoint answers with an OperationOutcome instead of a resource. Thrown where the problem is
/// found (parameter parsing, lookups) and turned into the response at the endpoint boundary. Carries every problem
/// found, not only the first, so a client can fix a request in one go.
/// </summary>
public sealed class FhirServerException : Exception
{
    public FhirServerException(int statusCode, OperationOutcome.IssueType code, string diagnostics)
        : this(statusCode, [new FhirProblem(code, diagnostics)])
    {
    }

    public FhirServerException(int statusCode, IReadOnlyList<FhirProblem> problems)
        : base(string.Join(" ", problems.Select(p => p.Diagnostics)))
    {
        StatusCode = statusCode;
        Problems = problems;
    }

    public int StatusCode { get; }

    public IReadOnlyList<FhirProblem> Problems { get; }

    public static FhirServerException BadRequest(string diagnostics) => new(400, OperationOutcome.IssueType.Invalid, diagnostics);

    public static FhirServerException NotFound(string diagnostics) => new(404, OperationOutcome.IssueType.NotFound, diagnostics);

    public static FhirServerException NotSupported(int statusCode, string diagnostics) => new(statusCode, OperationOutcome.IssueType.NotSupported, diagnostics);
}
