using Telehealth.CareRecord.News2;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// Told about new NEWS2 assessments after they are stored (the FHIR outbox turns each into a RiskAssessment): all of
/// an evaluation pass's at once, in the order they were made.
/// </summary>
public interface INews2AssessmentObserver
{
    Task News2AssessedAsync(IReadOnlyList<News2Assessment> assessments, CancellationToken cancellationToken);
}
