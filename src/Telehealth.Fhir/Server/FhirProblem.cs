using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Server;

/// <summary>One issue of an OperationOutcome: what kind of problem, and a sentence a person can act on.</summary>
public sealed record FhirProblem(OperationOutcome.IssueType Code, string Diagnostics, OperationOutcome.IssueSeverity Severity = OperationOutcome.IssueSeverity.Error);
