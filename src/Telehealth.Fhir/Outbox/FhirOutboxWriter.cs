using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.CarePlans;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Alerts.Engine;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using Task = System.Threading.Tasks.Task;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Puts every new piece of the care record in the outbox as FHIR: readings → Observations (with the thresholds that
/// were in force at the reading's device time), telecare events → Observations, NEWS2 → RiskAssessment, red flags →
/// Flag and follow-up Task. The evaluation worker calls it for due data before the alert engine runs, so a reading's
/// Observation is queued before the RiskAssessment and Flag derived from it; alerts reach it from the alert event log.
/// The first time a patient is written in this process, their Patient and Device resources are queued first (the
/// outbox skips them when the same content is already there): this covers people and devices created before the
/// outbox existed, and a creation hook that failed.
/// </summary>
public sealed partial class FhirOutboxWriter(
    IFhirOutbox outbox,
    FhirMapper mapper,
    IThresholdRepository thresholds,
    IPatientRepository patients,
    IDeviceRegistry devices,
    IReadingStore readings,
    TimeProvider time,
    ILogger<FhirOutboxWriter> logger) : IStoredDataObserver, INews2AssessmentObserver
{
    /// <summary>Readings received from now on are queued by this writer as they are stored.</summary>
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    private readonly ConcurrentDictionary<string, byte> _subjectsQueued = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _basisQueued = new(StringComparer.Ordinal);

    public async Task OnReadingsStoredAsync(IReadOnlyList<Reading> newReadings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newReadings);
        var patientsReadings = newReadings.GroupBy(reading => reading.PatientId, StringComparer.Ordinal).ToList();
        var mapped = new IReadOnlyList<FhirOutboxItem>?[patientsReadings.Count];
        var failures = new ConcurrentQueue<Exception>();
        // Several people at once: each one's reads are round trips to the care record and their mapping is CPU work, so
        // one at a time left both the database and the cores waiting (an evaluation pass hands over many people).
        await Parallel.ForEachAsync(Enumerable.Range(0, patientsReadings.Count),
            new ParallelOptions { MaxDegreeOfParallelism = PatientsAtOnce, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                var patientId = patientsReadings[index].Key;
                // One patient's failure must not cost the others in the batch their Observations.
                try
                {
                    mapped[index] = await ToObservationItemsAsync(patientId, patientsReadings[index].ToList(), token);
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    LogWriteFailed(patientId, "readings", exception);
                    failures.Enqueue(exception);
                }
            });
        // Every patient's Observations in one outbox transaction, in the order the patients came.
        var items = mapped.Where(patientItems => patientItems is not null).SelectMany(patientItems => patientItems!).ToList();
        var appended = await outbox.EnqueueAsync(items, cancellationToken);
        LogQueuedMany(appended, items.Count);
        if (!failures.IsEmpty)
        {
            throw new AggregateException("Some readings could not be queued as FHIR Observations; see inner exceptions.", failures);
        }
    }

    /// <summary>How many people's Observations are prepared at once.</summary>
    private static int PatientsAtOnce => Math.Max(2, 2 * Environment.ProcessorCount);

    private async Task<IReadOnlyList<FhirOutboxItem>> ToObservationItemsAsync(string patientId, List<Reading> patientReadings, CancellationToken cancellationToken)
    {
        var ordered = (await WithStoredBloodPressurePartnersAsync(patientId, patientReadings, cancellationToken))
            .OrderBy(reading => reading.DeviceTime).ToArray();
        // The one rule shared with the alert decision: the thresholds in force at the reading's device time.
        var timeline = await thresholds.GetTimelineAsync(patientId, cancellationToken);
        var sourceTypes = new Dictionary<string, DeviceType?>(StringComparer.Ordinal);
        foreach (var deviceId in ordered.Select(reading => reading.DeviceId).Distinct())
        {
            sourceTypes[deviceId] = (await devices.GetAsync(deviceId, cancellationToken))?.Type;
        }
        var items = FhirOutboxItems.ForReadings(patientId, ordered, reading => timeline.At(reading.DeviceTime), deviceId => sourceTypes[deviceId]);
        await EnsureSubjectsQueuedAsync(patientId, cancellationToken);
        return items;
    }

    /// <summary>
    /// A blood-pressure half whose other half of the same measurement (device, device time) is already stored
    /// but not in this batch is mapped together with it, so the record gets the complete panel, not a second lone one.
    /// </summary>
    private async Task<List<Reading>> WithStoredBloodPressurePartnersAsync(string patientId, List<Reading> batch, CancellationToken cancellationToken)
    {
        var present = batch.Select(r => (r.DeviceId, r.Kind, r.DeviceTime)).ToHashSet();
        var partners = new List<Reading>();
        foreach (var reading in batch.Where(r => r.Kind is VitalKind.SystolicBp or VitalKind.DiastolicBp))
        {
            var partnerKind = reading.Kind == VitalKind.SystolicBp ? VitalKind.DiastolicBp : VitalKind.SystolicBp;
            if (present.Contains((reading.DeviceId, partnerKind, reading.DeviceTime)))
            {
                continue;
            }
            var stored = await readings.QueryAsync(
                new ReadingQuery(patientId, partnerKind, reading.DeviceTime, reading.DeviceTime.AddMilliseconds(1)), cancellationToken);
            partners.AddRange(stored.Where(r => r.DeviceId == reading.DeviceId));
        }
        return [.. batch, .. partners];
    }

    public async Task OnEventStoredAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        await EnqueueAsync(telecareEvent.PatientId, [mapper.ToObservation(telecareEvent)], cancellationToken);
    }

    /// <summary>An ACVPU assessment (staff or device) as its Observation.</summary>
    public async Task OnConsciousnessStoredAsync(ConsciousnessObservation observation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await EnqueueAsync(observation.PatientId, [mapper.ToObservation(observation)], cancellationToken);
    }

    /// <summary>Heartbeats are not part of the care record.</summary>
    public Task OnStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task News2AssessedAsync(IReadOnlyList<News2Assessment> assessments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var items = new List<FhirOutboxItem>(assessments.Count);
        var firstOfPerson = new List<string>();
        foreach (var assessment in assessments)
        {
            if (!_basisQueued.ContainsKey(assessment.PatientId) && !firstOfPerson.Contains(assessment.PatientId, StringComparer.Ordinal))
            {
                // A person's first assessment in this process queues, ahead of it, the Observations of the readings in
                // its basis that an earlier process stored. A server set after they were stored (nothing is queued
                // without one) would otherwise get a RiskAssessment naming readings it never received; the outbox
                // skips those already pending or sent unchanged. Readings stored by this process were queued as they
                // were stored, and are left out: one the server rejected meanwhile must not be sent again.
                var earlier = assessment.Basis.Where(reading => reading.ReceivedAt < _startedAt).ToList();
                if (earlier.Count > 0)
                {
                    items.AddRange(await ToObservationItemsAsync(assessment.PatientId, earlier, cancellationToken));
                }
                firstOfPerson.Add(assessment.PatientId);
            }
            await EnsureSubjectsQueuedAsync(assessment.PatientId, cancellationToken);
            items.Add(FhirOutboxItems.Create(assessment.PatientId, mapper.ToRiskAssessment(assessment)));
        }
        await outbox.EnqueueAsync(items, cancellationToken);
        foreach (var patientId in firstOfPerson)
        {
            _basisQueued.TryAdd(patientId, 0);
        }
    }

    /// <summary>The alert as Flag, and as Task when it needs follow-up (see <see cref="FhirAlertEventFollower"/>).</summary>
    public async Task EnqueueAlertAsync(AlertCase alert, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var resources = new List<Resource> { mapper.ToFlag(alert) };
        if (mapper.ToTask(alert) is { } followUp)
        {
            resources.Add(followUp);
        }
        await EnqueueAsync(alert.PatientId, resources, cancellationToken);
    }

    /// <summary>
    /// A saved change to a person's goals or care plan: the goal it changed (if any), then the CarePlan, whose version
    /// moves with every change and whose goal list names the goals (so a new Goal is on the server before it is named).
    /// </summary>
    public async Task EnqueueCarePlanAsync(CarePlanRecord plan, Guid? changedGoal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var resources = new List<Resource>();
        if (changedGoal is { } goalId && plan.Goal(goalId) is { } goal)
        {
            resources.Add(CarePlanResources.ToGoal(goal));
        }
        if (CarePlanResources.ToCarePlan(plan) is { } carePlan)
        {
            resources.Add(carePlan);
        }
        await EnqueueAsync(plan.PatientId, resources, cancellationToken);
    }

    private async Task EnqueueAsync(string patientId, IEnumerable<Resource> resources, CancellationToken cancellationToken)
    {
        await EnsureSubjectsQueuedAsync(patientId, cancellationToken);
        var items = resources.Select(resource => FhirOutboxItems.Create(patientId, resource)).ToList();
        var appended = await outbox.EnqueueAsync(items, cancellationToken);
        LogQueued(patientId, appended, items.Count);
    }

    private async Task EnsureSubjectsQueuedAsync(string patientId, CancellationToken cancellationToken)
    {
        if (_subjectsQueued.ContainsKey(patientId))
        {
            return;
        }
        if (await patients.GetAsync(patientId, cancellationToken) is not { } patient)
        {
            return;
        }
        var items = new List<FhirOutboxItem> { FhirOutboxItems.Create(patientId, mapper.ToPatient(patient)) };
        foreach (var device in await devices.ListAsync(patientId, cancellationToken))
        {
            items.Add(FhirOutboxItems.Create(patientId, mapper.ToDevice(device)));
        }
        await outbox.EnqueueAsync(items, cancellationToken);
        _subjectsQueued.TryAdd(patientId, 0);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queued {Appended} of {Count} FHIR resource(s) for patient {PatientId} (the rest were already queued)")]
    private partial void LogQueued(string patientId, int appended, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queued {Appended} of {Count} FHIR Observation(s) for stored readings (the rest were already queued)")]
    private partial void LogQueuedMany(int appended, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not queue FHIR {What} for patient {PatientId}")]
    private partial void LogWriteFailed(string patientId, string what, Exception exception);
}
