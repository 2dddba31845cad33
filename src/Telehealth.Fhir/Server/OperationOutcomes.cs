using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Server;

/// <summary>Builds the OperationOutcome of every error answer (and of search warnings).</summary>
public static class OperationOutcomes
{
    public static OperationOutcome Of(IEnumerable<FhirProblem> problems)
    {
        var outcome = new OperationOutcome { Id = Guid.NewGuid().ToString("N") };
        foreach (var problem in problems)
        {
            outcome.Issue.Add(new OperationOutcome.IssueComponent
            {
                Severity = problem.Severity,
                Code = problem.Code,
                Diagnostics = problem.Diagnostics,
            });
        }
        return outcome;
    }

    public static FhirResourceResult Result(FhirServerException exception) => new(Of(exception.Problems), exception.StatusCode);

    public static FhirResourceResult Result(int statusCode, OperationOutcome.IssueType code, string diagnostics) =>
        new(Of([new FhirProblem(code, diagnostics)]), statusCode);
}
