using Telehealth.CareRecord.FollowUp;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Rules;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Storage;
using Telehealth.CareRecord.Caseload;
using Telehealth.Contracts.Observations;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// Turns due items into alerts through the care-record core: each item (a reading, a telecare event, a device status,
/// or a rule's timer) is offered, in queue order, to the patient's rules (<see cref="PatientRuleBook"/>) with their
/// persisted state; each rule answers true / false / not yet / unknown with its new state and when to wake it, and
/// <see cref="AlertCaseLifecycle"/> decides what the answer means for the patient's alerts. Everything one evaluation
/// changed — alerts, their events, the rules' state and wake-ups, and the queue items it completes — is recorded in
/// one transaction (<see cref="IAlertStore.CommitAsync"/>), so an evaluation interrupted at any point is simply done
/// again, with no effect lost and none doubled. Nothing is pushed from here: SignalR, FHIR and the follow-up work
/// follow the event log. Work for one patient is serialised in this process.
/// </summary>
public sealed partial class AlertEngine(
    IAlertStore alerts,
    IAlertEventLog eventLog,
    IRuleStateStore ruleStates,
    IReadingStore readings,
    IThresholdRepository thresholds,
    IPatientRepository patients,
    INews2AssessmentStore assessments,
    IEnumerable<INews2AssessmentObserver> assessmentObservers,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertEngine> logger,
    IConsciousnessStore? consciousness = null,
    IMonitoringPlanStore? monitoringPlans = null,
    IReadSnapshots? snapshots = null,
    IEvaluationRecordReader? recordReader = null)
{
    private readonly INews2AssessmentObserver[] _assessmentObservers = assessmentObservers.ToArray();

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _patientLocks = new(StringComparer.Ordinal);

    /// <summary>Response deadlines (the RCP NEWS2 and telecare call-handling defaults).</summary>
    public ResponsePolicy Policy { get; } = ResponsePolicy.Default;

    /// <summary>
    /// Evaluates one patient's due items in queue order and records the outcome with the items' completion.
    /// </summary>
    /// <returns>The alert events recorded.</returns>
    public async Task<IReadOnlyList<AlertEventRecord>> EvaluateDueAsync(string patientId, IReadOnlyList<DueItem> items, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Any(item => item.PatientId != patientId))
        {
            throw new ArgumentException("Every item must belong to the patient evaluated.", nameof(items));
        }
        return await SerialisedAsync(patientId, async () =>
        {
            var decision = await DecideAsync(patientId, items, await ReadRecordAsync(patientId, cancellationToken), cancellationToken);
            await RecordAssessmentsAsync(decision.Assessment is { } assessment ? [assessment] : [], cancellationToken);
            CrashPoints.Reach(CrashPoints.BeforeAlertCommit);
            var recorded = await alerts.CommitAsync(decision.Commit, cancellationToken);
            CrashPoints.Reach(CrashPoints.AfterAlertCommit);
            Log(recorded);
            return recorded;
        }, cancellationToken);
    }

    /// <summary>
    /// Evaluates one pass of the queue: each patient's due items decided on their own, in queue order, and recorded in
    /// at most two transactions (<see cref="IAlertStore.CommitManyAsync"/>), not one per patient. A patient whose
    /// evaluation fails is answered with its exception and left out; when a shared commit fails, each of its patients
    /// is committed alone so that one patient's failure never holds up another's alerts.
    /// </summary>
    /// <param name="parallelism">How many patients are decided at once (the recording stays one transaction per group).</param>
    public Task<IReadOnlyList<PatientEvaluation>> EvaluatePassAsync(IReadOnlyList<PatientDueItems> pass, int parallelism, CancellationToken cancellationToken) =>
        EvaluatePassAsync(pass, parallelism, hooks: null, cancellationToken);

    /// <summary>
    /// Evaluates one pass of the queue, as <see cref="EvaluatePassAsync(IReadOnlyList{PatientDueItems}, int, CancellationToken)"/>,
    /// recording first the patients whose evaluation raised or changed an alert, then everyone else. Only the first
    /// group's commit stands between a critical reading and the dashboards: the bulk of a busy pass (people whose
    /// readings changed nothing but their rules' state, and whose stored data the FHIR outbox follows in one large
    /// transaction) is recorded after it. Each group is still recorded in one transaction, and each patient's items
    /// in queue order, so the order of evaluation per patient and "done only with its effects" hold as before.
    /// </summary>
    /// <param name="hooks">What the caller does before each group is recorded, and once the alerts are; null: nothing.</param>
    public async Task<IReadOnlyList<PatientEvaluation>> EvaluatePassAsync(IReadOnlyList<PatientDueItems> pass, int parallelism,
        EvaluationPassHooks? hooks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var gates = pass.Select(work => work.PatientId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(patientId => _patientLocks.GetOrAdd(patientId, static _ => new SemaphoreSlim(1, 1))).ToList();
        var held = new List<SemaphoreSlim>(gates.Count);
        try
        {
            // In one order (ordinal), and only this worker takes more than one: no two holders can wait on each other.
            foreach (var gate in gates)
            {
                await gate.WaitAsync(cancellationToken);
                held.Add(gate);
            }
            var outcomes = new PatientEvaluation[pass.Count];
            if (pass.Any(work => work.Items.Any(item => item.PatientId != work.PatientId)))
            {
                throw new ArgumentException("Every item must belong to the patient evaluated.", nameof(pass));
            }
            // Where the engine reads many people at once for far less than one by one (PostgreSQL), the whole pass's
            // records are read first, in one request. When that fails, every person of the pass fails with it (their
            // items are deferred and tried again), as each would have failed reading alone.
            IReadOnlyDictionary<string, EvaluationRecord>? records = null;
            if (recordReader is not null)
            {
                try
                {
                    records = await recordReader.ReadAsync([.. pass.Select(work => work.PatientId).Distinct(StringComparer.Ordinal)], cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    return [.. pass.Select(work => new PatientEvaluation(work.PatientId, [], exception))];
                }
            }
            // Deciding only reads, and each patient's decision is their own: several at once use the cores that one
            // worker would leave idle (on SQLite, WAL readers do not wait for each other or for the writer).
            var decisions = new Decision?[pass.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, pass.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    try
                    {
                        var patientId = pass[index].PatientId;
                        var record = records is null ? await ReadRecordAsync(patientId, token) : records[patientId];
                        decisions[index] = await DecideAsync(patientId, pass[index].Items, record, token);
                    }
                    catch (Exception exception) when (!token.IsCancellationRequested)
                    {
                        outcomes[index] = new PatientEvaluation(pass[index].PatientId, [], exception);
                    }
                });
            var decided = decisions.Select((decision, index) => (Index: index, Decision: decision))
                .Where(entry => entry.Decision is not null)
                .Select(entry => (entry.Index, Decision: entry.Decision!))
                .ToList();
            // Alerts first: the decisions were all made before anything is written, and the groups share no patient, so
            // recording one group before the other changes what each patient's record says at no point.
            var alerting = decided.Where(entry => entry.Decision.ChangesAlerts).ToList();
            var quiet = decided.Where(entry => !entry.Decision.ChangesAlerts).ToList();
            if (alerting.Count > 0)
            {
                await RecordAsync(pass, alerting, outcomes, hooks?.BeforeRecording, cancellationToken);
            }
            hooks?.AlertsRecorded?.Invoke();
            if (quiet.Count > 0)
            {
                // Deferrable: nobody waits for these people's records, so an ingest batch or another pass's alerts go first.
                using (WriteUrgency.Defer())
                {
                    await RecordAsync(pass, quiet, outcomes, hooks?.BeforeRecording, cancellationToken);
                }
            }
            return outcomes;
        }
        finally
        {
            foreach (var gate in held)
            {
                gate.Release();
            }
        }
    }

    /// <summary>
    /// Records one group of a pass: what must precede it (<paramref name="beforeRecording"/>), the group's NEWS2
    /// assessments, then its commits in one transaction, or one by one when that fails. Fills in the group's outcomes.
    /// </summary>
    private async Task RecordAsync(IReadOnlyList<PatientDueItems> pass, List<(int Index, Decision Decision)> group, PatientEvaluation[] outcomes,
        Func<IReadOnlyList<PatientDueItems>, CancellationToken, Task<IReadOnlyList<Exception?>>>? beforeRecording, CancellationToken cancellationToken)
    {
        if (beforeRecording is not null)
        {
            var failures = await beforeRecording([.. group.Select(entry => pass[entry.Index])], cancellationToken);
            if (failures.Count != group.Count)
            {
                throw new InvalidOperationException($"{failures.Count} answer(s) before recording {group.Count} patient(s).");
            }
            for (var i = group.Count - 1; i >= 0; i--)
            {
                if (failures[i] is { } failure)
                {
                    outcomes[group[i].Index] = new PatientEvaluation(pass[group[i].Index].PatientId, [], failure);
                    group.RemoveAt(i);
                }
            }
            if (group.Count == 0)
            {
                return;
            }
        }
        try
        {
            await RecordAssessmentsAsync([.. group.Select(entry => entry.Decision.Assessment).OfType<News2Assessment>()], cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The assessments are stored before their evaluation is committed: whoever's could not be stored waits.
            foreach (var (index, _) in group)
            {
                outcomes[index] = new PatientEvaluation(pass[index].PatientId, [], exception);
            }
            return;
        }
        var commits = group.Select(entry => entry.Decision.Commit).ToList();
        CrashPoints.Reach(CrashPoints.BeforeAlertCommit);
        try
        {
            var recorded = await alerts.CommitManyAsync(commits, cancellationToken);
            for (var i = 0; i < group.Count; i++)
            {
                outcomes[group[i].Index] = new PatientEvaluation(pass[group[i].Index].PatientId, recorded[i], null);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && group.Count > 1)
        {
            LogPassCommitFailed(exception, group.Count);
            foreach (var (index, commit) in group.Select(entry => (entry.Index, entry.Decision.Commit)))
            {
                try
                {
                    outcomes[index] = new PatientEvaluation(commit.PatientId, await alerts.CommitAsync(commit, cancellationToken), null);
                }
                catch (Exception alone) when (!cancellationToken.IsCancellationRequested)
                {
                    outcomes[index] = new PatientEvaluation(commit.PatientId, [], alone);
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            foreach (var (index, _) in group)
            {
                outcomes[index] = new PatientEvaluation(pass[index].PatientId, [], exception);
            }
        }
        CrashPoints.Reach(CrashPoints.AfterAlertCommit);
        foreach (var (index, _) in group)
        {
            Log(outcomes[index].Recorded);
        }
    }

    /// <summary>
    /// The person's record as a decision reads it, from the stores one by one. The reads are made all at once, not one
    /// after another: each is a round trip to the care record, so in sequence they were most of a decision's time.
    /// Where the engine offers it (SQLite), they are one snapshot: one view of the record, one read transaction.
    /// </summary>
    private async Task<EvaluationRecord> ReadRecordAsync(string patientId, CancellationToken cancellationToken)
    {
        var snapshot = snapshots?.Begin();
        Task<ThresholdSet> thresholdSetRead;
        Task<ThresholdTimeline> timelineRead;
        Task<PatientRecord?> patientRead;
        Task<ConsciousnessObservation?> consciousnessRead;
        Task<IReadOnlyDictionary<string, StoredRuleState>> storedRead;
        Task<MonitoringPlan?> planRead;
        Task<IReadOnlyList<AlertCase>> activeRead;
        try
        {
            thresholdSetRead = thresholds.GetEffectiveAsync(patientId, cancellationToken);
            timelineRead = thresholds.GetTimelineAsync(patientId, cancellationToken);
            patientRead = patients.GetAsync(patientId, cancellationToken);
            consciousnessRead = consciousness is null ? Task.FromResult<ConsciousnessObservation?>(null) : consciousness.LatestAsync(patientId, cancellationToken);
            storedRead = ruleStates.LoadAsync(patientId, cancellationToken);
            planRead = monitoringPlans is null ? Task.FromResult<MonitoringPlan?>(null) : monitoringPlans.GetAsync(patientId, cancellationToken);
            activeRead = alerts.ListActiveForPatientAsync(patientId, cancellationToken);
            await Task.WhenAll(thresholdSetRead, timelineRead, patientRead, consciousnessRead, storedRead, planRead, activeRead);
        }
        finally
        {
            // Ended once every read has: the rules then run on what was read, with no read transaction held open.
            snapshot?.Dispose();
        }
        return new EvaluationRecord(patientId, await thresholdSetRead, await timelineRead, await patientRead, await consciousnessRead,
            await storedRead, await planRead, await activeRead);
    }

    /// <summary>What one patient's due items change, decided on their record as read (nothing is written).</summary>
    private async Task<Decision> DecideAsync(string patientId, IReadOnlyList<DueItem> items, EvaluationRecord record, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        var ordered = items.OrderBy(item => item.Sequence).ToList();
        var assesses = ordered.Any(item => item.Kind is DueItemKind.Reading or DueItemKind.Consciousness
            || item.Reassess?.What == CareRecordChanges.CareSettings);
        var thresholdSet = record.Thresholds;
        var timeline = record.Timeline;
        var care = record.Patient?.ToNews2CareSettings(RecentConsciousness(record.LatestConsciousness, now, settings)) ?? News2CareSettings.Unknown;
        var stored = record.RuleStates;
        var plan = record.Plan;
        var book = new PatientRuleBook(thresholdSet, care, settings, stored.Values, timeline, plan);
        var working = new WorkingAlerts(patientId, record.ActiveAlerts);
        var states = new WorkingRuleStates(stored);
        foreach (var item in ordered)
        {
            switch (item.Kind)
            {
                case DueItemKind.Reading:
                    Offer(book, states, working, new RuleInput(patientId, now, new ReadingObserved(item.Reading!)), now);
                    break;
                case DueItemKind.TelecareEvent:
                    Offer(book, states, working, new RuleInput(patientId, now, new EventObserved(item.Event!)), now);
                    break;
                case DueItemKind.DeviceStatus:
                    var status = item.Status!;
                    var heardAt = ObservationTime.Of(status.DeviceTime, status.ReceivedAt);
                    var device = new DeviceRef(status.DeviceId, status.DeviceType);
                    book.AddDevice(device, heardAt);
                    Offer(book, states, working, new RuleInput(patientId, now,
                        new DeviceHeard(device, patientId, heardAt, status.Interval, status.BatteryPercent)), now);
                    break;
                case DueItemKind.Timer when book.Find(item.Timer!.RuleKey) is { } woken:
                    Apply(woken, book, states, working, RuleInput.Wake(patientId, now), now);
                    break;
                case DueItemKind.Timer:
                    // The rule is no longer in force (a duration rule removed from the settings): nothing to wake.
                    LogTimerWithoutRule(patientId, item.Timer!.RuleKey);
                    break;
                case DueItemKind.Consciousness:
                    var acvpu = item.Consciousness!;
                    Offer(book, states, working, new RuleInput(patientId, now,
                        new ConsciousnessObserved(patientId, acvpu.Level.ToNews2(), acvpu.ObservedAt, acvpu.RecordedBy, acvpu.DeviceId)), now);
                    break;
                case DueItemKind.Reassess:
                    // Every rule looks again at what it holds with the care record as it now stands: NEWS2 re-scores with
                    // a new scale or oxygen, a new expectation computes its first deadline.
                    Offer(book, states, working, RuleInput.Wake(patientId, now), now);
                    break;
            }
        }
        // The NEWS2 assessment over the latest readings, for the care record (FHIR RiskAssessment); null when nothing
        // recent enough can be scored. Alerts come from News2AlertRule, not from here.
        var assessment = assesses
            ? News2Assessments.Assess(patientId, await LatestEvaluatedAsync(patientId, states, cancellationToken), care, now, settings.News2Window)
            : null;
        return new Decision(new AlertCommit(patientId, working.Changes, ordered.Select(item => item.Sequence).ToList(), states.Changed(book)), assessment);
    }

    /// <summary>
    /// The latest reading of each NEWS2 kind the person's evaluations have seen, this pass's included, as the NEWS2 rule
    /// keeps them (<see cref="News2RuleState.Latest"/>: by observation time, as <see cref="LatestReadings"/> orders the
    /// store's). Until 27 November 2026 every decision asked the reading store (in the split deployment an InfluxDB query
    /// per decision, about half of influxd's work); the rule already held the answer. A state kept before the rule
    /// recorded device times may not name its readings exactly: for it, the store is asked as before.
    /// </summary>
    private async Task<IReadOnlyDictionary<VitalKind, Reading>> LatestEvaluatedAsync(string patientId, WorkingRuleStates states,
        CancellationToken cancellationToken)
    {
        var latest = new Dictionary<VitalKind, Reading>();
        foreach (var observation in states.Get(ConditionKeys.News2)?.Read<News2RuleState>().Latest ?? [])
        {
            if (observation.ToReading(patientId) is not { } reading)
            {
                return await LatestReadings.ByObservationTimeAsync(readings, patientId, cancellationToken);
            }
            latest[observation.Kind] = reading;
        }
        return latest;
    }

    /// <summary>What one patient's evaluation decided: the commit, and the NEWS2 assessment to store before it (if any).</summary>
    private sealed record Decision(AlertCommit Commit, News2Assessment? Assessment)
    {
        /// <summary>Whether recording it writes alert events (what the dashboards, escalation and FHIR wait for).</summary>
        public bool ChangesAlerts => Commit.Changes.Any(change => change.Refused is null && change.Changed);
    }

    /// <summary>
    /// The person's latest ACVPU assessment when it is recent enough to count in NEWS2 (the same window as readings),
    /// so a recorded "alert" or "new confusion" scores instead of showing as missing. An older one is missing, never
    /// carried forward.
    /// </summary>
    private static ConsciousnessLevel? RecentConsciousness(ConsciousnessObservation? latest, DateTimeOffset now, AlertOptions settings) =>
        latest is not null && latest.ObservedAt >= now - settings.News2Window && latest.ObservedAt <= now ? latest.Level.ToNews2() : null;

    /// <summary>Evaluates readings that are not in the queue (tests, replays): the same rules, recorded the same way.</summary>
    public Task<IReadOnlyList<AlertEventRecord>> EvaluateReadingsAsync(IReadOnlyList<Reading> newReadings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(newReadings);
        return EvaluateUnqueuedAsync(newReadings.Select(reading => DueItem.ForReading(0, reading)), cancellationToken);
    }

    /// <summary>Evaluates a telecare event that is not in the queue (tests, replays).</summary>
    public Task<IReadOnlyList<AlertEventRecord>> EvaluateEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        return EvaluateUnqueuedAsync([DueItem.ForEvent(0, telecareEvent)], cancellationToken);
    }

    /// <summary>
    /// Staff take an alert on. Already acknowledged by the same person: unchanged. Already acknowledged by someone
    /// else: refused with <see cref="StaffActionResult.TakenByAnother"/> and the owner, so two people racing to take one
    /// alert learn at once that the other has it.
    /// </summary>
    public Task<StaffActionResult> AcknowledgeAsync(Guid alertId, string staffUser, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        return ActAsync(alertId,
            alert => alert.Status is AlertCaseStatus.Acknowledged or AlertCaseStatus.InFollowUp && OwnerOf(alert) is { } owner && owner != staffUser ? owner : null,
            (alert, _, now) => AlertCaseLifecycle.Acknowledge(alert, staffUser, now), cancellationToken);
    }

    /// <summary>
    /// Gives the alert to <paramref name="assignee"/>. Allowed when nobody has it, when the caller is the one who has
    /// it, or when the caller names the current owner in <paramref name="expectedOwner"/> (a deliberate hand-over
    /// after seeing who has it); otherwise refused with the owner, so two people cannot both take it.
    /// </summary>
    public Task<StaffActionResult> AssignAsync(Guid alertId, string staffUser, string assignee, string? expectedOwner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        ArgumentException.ThrowIfNullOrWhiteSpace(assignee);
        return ActAsync(alertId,
            alert => !alert.IsResolved && OwnerOf(alert) is { } owner && owner != staffUser && owner != assignee && owner != expectedOwner ? owner : null,
            (alert, _, now) => AlertCaseLifecycle.Assign(alert, staffUser, assignee, now), cancellationToken);
    }

    /// <summary>Someone starts acting on it (from Open this acknowledges it too).</summary>
    public Task<StaffActionResult> StartFollowUpAsync(Guid alertId, string staffUser, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        return ActAsync(alertId,
            alert => !alert.IsResolved && OwnerOf(alert) is { } owner && owner != staffUser && alert.Status != AlertCaseStatus.InFollowUp ? owner : null,
            (alert, _, now) => AlertCaseLifecycle.StartFollowUp(alert, staffUser, now), cancellationToken);
    }

    /// <summary>Closes the alert with an outcome (and a note for the record).</summary>
    public Task<StaffActionResult> ResolveAsync(Guid alertId, string staffUser, AlertOutcome outcome, string? note, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        return ActAsync(alertId, NobodyElse, (alert, _, now) => AlertCaseLifecycle.Resolve(alert, staffUser, outcome, note, now), cancellationToken);
    }

    /// <summary>Stops notifying <paramref name="staffUser"/> about the alert until <paramref name="until"/> (their own snooze).</summary>
    public Task<StaffActionResult> SnoozeAsync(Guid alertId, string staffUser, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        return ActAsync(alertId, NobodyElse, (alert, _, now) => AlertCaseLifecycle.Snooze(alert, staffUser, until, Policy, now), cancellationToken);
    }

    /// <summary>Ends <paramref name="whose"/> snooze (anyone may end anyone's: a snooze must never hide an alert).</summary>
    public Task<StaffActionResult> UnsnoozeAsync(Guid alertId, string staffUser, string whose, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        ArgumentException.ThrowIfNullOrWhiteSpace(whose);
        return ActAsync(alertId, NobodyElse, (alert, events, now) => AlertCaseLifecycle.Unsnooze(alert, events, staffUser, whose, now), cancellationToken);
    }

    /// <summary>
    /// Records a follow-up call (<see cref="FollowUpCalls.Record"/>): starts the follow-up when nobody else has the
    /// alert, schedules the retry after an unreached attempt, and re-opens the alert for escalation after too many.
    /// </summary>
    public Task<StaffActionResult> RecordCallAsync(Guid alertId, string staffUser, CallOutcome outcome, IReadOnlyList<CallAction> actions, string? notes,
        CallPolicy calls, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffUser);
        return ActAsync(alertId,
            alert => !alert.IsResolved && OwnerOf(alert) is { } owner && owner != staffUser ? owner : null,
            (alert, _, now) => FollowUpCalls.Record(alert, staffUser, outcome, actions, notes, calls, Policy, now), cancellationToken);
    }

    /// <summary>Who has the alert: the person it is assigned to, else the one who acknowledged it.</summary>
    public static string? OwnerOf(AlertCase alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.AssignedTo ?? alert.AcknowledgedBy;
    }

    private static string? NobodyElse(AlertCase alert) => null;

    // Each retry follows a change someone else recorded; a handful is plenty (the alert cannot change faster than staff act).
    private const int MaxStaffActionAttempts = 5;

    /// <summary>
    /// One staff action, serialised with the patient's evaluations and re-read under the lock, so it decides on the
    /// alert as it is, and recorded (alert and events) in one transaction only if the alert is still at the version it
    /// was decided on. The lock covers this process; the version covers every process on the database: when another
    /// changed the alert meanwhile, the action is decided again on the alert as it now is (so the one who came second
    /// learns who has it).
    /// </summary>
    /// <param name="takenBy">Who else has the alert so that this action must not go ahead (null: nobody).</param>
    private async Task<StaffActionResult> ActAsync(
        Guid alertId, Func<AlertCase, string?> takenBy, Func<AlertCase, IReadOnlyList<AlertEvent>, DateTimeOffset, AlertChange> decide,
        CancellationToken cancellationToken)
    {
        if (await alerts.GetAsync(alertId, cancellationToken) is not { } found)
        {
            return StaffActionResult.NotFound;
        }
        return await SerialisedAsync(found.PatientId, async () =>
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await alerts.GetStoredAsync(alertId, cancellationToken) is not { } stored)
                {
                    return StaffActionResult.NotFound;
                }
                var current = stored.Alert;
                if (takenBy(current) is { } owner)
                {
                    return new StaffActionResult(current, StaffActionResult.TakenByAnother, owner);
                }
                var history = (await eventLog.ForAlertAsync(alertId, cancellationToken)).Select(record => record.Event).ToList();
                var change = decide(current, history, time.GetUtcNow());
                if (change.Refused is { } refused)
                {
                    return new StaffActionResult(current, refused);
                }
                if (!change.Changed)
                {
                    return new StaffActionResult(current);
                }
                try
                {
                    var recorded = await alerts.CommitAsync(
                        new AlertCommit(current.PatientId, [change], [], ExpectedVersions: new Dictionary<Guid, long> { [alertId] = stored.Version }),
                        cancellationToken);
                    Log(recorded);
                    return new StaffActionResult(change.Alert);
                }
                catch (AlertChangedConcurrentlyException) when (attempt < MaxStaffActionAttempts)
                {
                    LogStaffActionRaced(alertId, attempt);
                }
            }
        }, cancellationToken);
    }

    private void Offer(PatientRuleBook book, WorkingRuleStates states, WorkingAlerts working, RuleInput input, DateTimeOffset now)
    {
        foreach (var rule in book.Rules)
        {
            Apply(rule, book, states, working, input, now);
        }
    }

    private void Apply(IAlertRule rule, PatientRuleBook book, WorkingRuleStates states, WorkingAlerts working, RuleInput input, DateTimeOffset now)
    {
        var evaluation = rule.Evaluate(input, states.Get(rule.Key));
        states.Set(rule.Key, evaluation, book.DeviceOf(rule.Key), now);
        if (AlertCaseLifecycle.OnEvaluation(working.Alerts, working.PatientId, rule.Key, evaluation, Policy, now) is { } change)
        {
            working.Record(change);
        }
    }

    /// <summary>
    /// Stores the assessments (idempotently: same basis, same assessment) before the evaluation that made them is
    /// committed, and observers hear of them even when they were already stored: a crash may have come between the
    /// two, and they are idempotent (the FHIR outbox skips content it holds).
    /// </summary>
    private async Task RecordAssessmentsAsync(IReadOnlyList<News2Assessment> made, CancellationToken cancellationToken)
    {
        if (made.Count == 0)
        {
            return;
        }
        await assessments.AppendManyAsync(made, cancellationToken);
        foreach (var observer in _assessmentObservers)
        {
            try
            {
                await observer.News2AssessedAsync(made, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogAssessmentObserverFailed(made.Count, exception);
            }
        }
    }

    private async Task<IReadOnlyList<AlertEventRecord>> EvaluateUnqueuedAsync(IEnumerable<DueItem> items, CancellationToken cancellationToken)
    {
        var recorded = new List<AlertEventRecord>();
        foreach (var patient in items.GroupBy(item => item.PatientId, StringComparer.Ordinal))
        {
            recorded.AddRange(await EvaluateDueAsync(patient.Key, patient.ToList(), cancellationToken));
        }
        return recorded;
    }

    private void Log(IReadOnlyList<AlertEventRecord> recorded)
    {
        foreach (var recordedEvent in recorded)
        {
            LogAlertEvent(recordedEvent.AlertId, recordedEvent.PatientId, recordedEvent.Type, recordedEvent.Alert.ConditionKey,
                recordedEvent.Alert.Code, recordedEvent.Alert.Severity, recordedEvent.Sequence);
        }
    }

    private async Task<T> SerialisedAsync<T>(string patientId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _patientLocks.GetOrAdd(patientId, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The patient's alerts as this evaluation has changed them so far (nothing is written until the commit), so two
    /// findings in one evaluation see each other.
    /// </summary>
    private sealed class WorkingAlerts(string patientId, IReadOnlyList<AlertCase> stored)
    {
        private readonly Dictionary<Guid, AlertCase> _alerts = stored.ToDictionary(alert => alert.Id);

        public string PatientId => patientId;

        public List<AlertChange> Changes { get; } = [];

        // Every rule of every reading asks for the list, and it changes only on a Record: built once per change.
        private List<AlertCase>? _notResolved;

        /// <summary>The patient's not-resolved alerts as changed so far.</summary>
        public IReadOnlyList<AlertCase> Alerts => _notResolved ??= _alerts.Values.Where(alert => !alert.IsResolved).ToList();

        public void Record(AlertChange change)
        {
            Changes.Add(change);
            _notResolved = null;
            // A resolved alert is history: the next finding for its condition raises a new one.
            _alerts[change.Alert.Id] = change.Alert;
        }
    }

    /// <summary>The rules' state as this evaluation has moved it; only what changed is written.</summary>
    private sealed class WorkingRuleStates(IReadOnlyDictionary<string, StoredRuleState> stored)
    {
        private readonly Dictionary<string, StoredRuleState> _current = new(stored, StringComparer.Ordinal);

        public RuleState? Get(string key) => _current.GetValueOrDefault(key)?.State;

        public void Set(string key, RuleEvaluation evaluation, DeviceRef? device, DateTimeOffset now)
        {
            if (_current.TryGetValue(key, out var previous))
            {
                if (ReferenceEquals(previous.State, evaluation.State) && previous.WakeAt == evaluation.WakeAt && (device is null || device == previous.Device))
                {
                    return; // Left as it was (most rules, for most inputs): nothing to make.
                }
                _current[key] = previous with { State = evaluation.State, WakeAt = evaluation.WakeAt, Device = device ?? previous.Device };
            }
            else if (evaluation.Verdict != RuleVerdict.Unknown || evaluation.WakeAt is not null || device is not null)
            {
                // A rule that has never had anything to say keeps no row.
                _current[key] = new StoredRuleState(key, evaluation.State, evaluation.WakeAt, device, now);
            }
        }

        public IReadOnlyList<StoredRuleState> Changed(PatientRuleBook book) =>
            _current.Values
                .Where(state => !stored.TryGetValue(state.RuleKey, out var before)
                    || before.State.Json != state.State.Json || before.WakeAt != state.WakeAt || before.Device != state.Device)
                .Where(state => book.Find(state.RuleKey) is not null)
                .ToList();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An observer of {Count} NEWS2 assessment(s) failed; the assessments are stored")]
    private partial void LogAssessmentObserverFailed(int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} for patient {PatientId}: {EventType} ({ConditionKey}, {Code}, severity {Severity}), event {Sequence}")]
    private partial void LogAlertEvent(Guid alertId, string patientId, AlertEventType eventType, string conditionKey, string code, AlertSeverity severity, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording an evaluation pass of {Patients} patient(s) in one transaction failed; recording each patient alone")]
    private partial void LogPassCommitFailed(Exception exception, int patients);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer of patient {PatientId} for rule {RuleKey} fired, but the rule is no longer in force")]
    private partial void LogTimerWithoutRule(string patientId, string ruleKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {AlertId} was changed elsewhere while a staff action was decided (attempt {Attempt}); deciding again")]
    private partial void LogStaffActionRaced(Guid alertId, int attempt);
}
