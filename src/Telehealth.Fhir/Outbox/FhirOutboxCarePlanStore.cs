using Microsoft.Extensions.Logging;
using Telehealth.CareRecord.CarePlans;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Decorates the care plan store so each saved change is queued at once as FHIR: the changed Goal and the CarePlan
/// (the person's Patient first, through <see cref="FhirOutboxWriter"/>). The change is stored first; a failure to
/// queue is logged, not undone, and the next change to the plan queues the whole CarePlan again.
/// </summary>
public sealed partial class FhirOutboxCarePlanStore(
    ICarePlanStore inner,
    FhirOutboxWriter writer,
    ILogger<FhirOutboxCarePlanStore> logger) : ICarePlanStore
{
    public Task<CarePlanRecord> GetAsync(string patientId, CancellationToken cancellationToken = default) => inner.GetAsync(patientId, cancellationToken);

    public Task<CareGoal?> GetGoalAsync(Guid goalId, CancellationToken cancellationToken = default) => inner.GetGoalAsync(goalId, cancellationToken);

    public async Task<bool> SaveAsync(CarePlanRecord next, CarePlanRevision revision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(revision);
        if (!await inner.SaveAsync(next, revision, cancellationToken))
        {
            return false;
        }
        try
        {
            // What was stored (times to the millisecond), so the pushed resource matches what /fhir serves.
            await writer.EnqueueCarePlanAsync(await inner.GetAsync(next.PatientId, cancellationToken), revision.GoalId, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogQueueFailed(next.PatientId, revision.Sequence, exception);
        }
        return true;
    }

    public Task<IReadOnlyList<CarePlanRevision>> GetHistoryAsync(string patientId, CancellationToken cancellationToken = default) =>
        inner.GetHistoryAsync(patientId, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Care plan version {Version} of patient {PatientId} is stored but could not be queued as FHIR")]
    private partial void LogQueueFailed(string patientId, int version, Exception exception);
}
