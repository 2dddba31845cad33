using Telehealth.CareRecord.News2;

namespace Telehealth.Alerts.Engine;

/// <summary>Told about each new NEWS2 assessment after it is stored (the FHIR outbox turns it into a RiskAssessment).</summary>
public interface INews2AssessmentObserver
{
    Task News2AssessedAsync(News2Assessment assessment, CancellationToken cancellationToken);
}
