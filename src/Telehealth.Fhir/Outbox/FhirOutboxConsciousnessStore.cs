using Microsoft.Extensions.Logging;
using Telehealth.Contracts.Observations;
using Telehealth.Fhir.Mapping;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Decorates the consciousness store so a newly stored ACVPU assessment is queued as a FHIR Observation at once (the
/// patient's Patient resource first, through <see cref="FhirOutboxWriter"/>). The assessment is stored first; a failure
/// to queue is logged, not undone, and is not retried (known gap: these do not pass through the evaluation queue).
/// </summary>
public sealed partial class FhirOutboxConsciousnessStore(
    IConsciousnessStore inner,
    FhirOutboxWriter writer,
    ILogger<FhirOutboxConsciousnessStore> logger) : IConsciousnessStore
{
    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public async Task<ConsciousnessAppendResult> AppendAsync(ConsciousnessObservation observation, CancellationToken cancellationToken = default)
    {
        var result = await inner.AppendAsync(observation, cancellationToken);
        if (result != ConsciousnessAppendResult.Conflict)
        {
            // A repeat is queued again harmlessly (the outbox skips content it holds): it may follow a failed first try.
            try
            {
                await writer.OnConsciousnessStoredAsync(observation, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogQueueFailed(observation.PatientId, exception);
            }
        }
        return result;
    }

    public Task<ConsciousnessObservation?> LatestAsync(string patientId, CancellationToken cancellationToken = default) =>
        inner.LatestAsync(patientId, cancellationToken);

    public Task<IReadOnlyList<ConsciousnessObservation>> RecentAsync(string patientId, int limit, CancellationToken cancellationToken = default) =>
        inner.RecentAsync(patientId, limit, cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "A consciousness observation of patient {PatientId} is stored but could not be queued as FHIR")]
    private partial void LogQueueFailed(string patientId, Exception exception);
}
