namespace Telehealth.CareRecord.Caseload;

/// <summary>Thresholds were refused. Carries every problem found, not only the first, so a form can show them all.</summary>
public sealed class ThresholdValidationException(IReadOnlyList<string> problems)
    : Exception("Invalid thresholds: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
