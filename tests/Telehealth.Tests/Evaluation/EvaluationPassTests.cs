using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Engine;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Monitoring;
using Telehealth.CareRecord.News2;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;
using Telehealth.Tests.Alerts;
using Telehealth.TestSupport.Storage;
using Telehealth.Contracts.Storage;

namespace Telehealth.Tests.Evaluation;

/// <summary>
/// One evaluation pass (H2): the patients whose alerts changed are recorded first in one transaction, everyone else
/// after in another; when a shared transaction fails each patient is recorded alone, so one patient's failure never
/// costs another their alerts, and no alert is recorded twice.
/// </summary>
[Trait("Hazard", "H2")]
public sealed class EvaluationPassTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private readonly SqliteStoreEngine _engine = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private ServiceProvider? _stores;

    private ServiceProvider Stores => _stores!;

    public async Task InitializeAsync() => _stores = await _engine.OpenAsync(_clock);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task A_pass_of_three_patients_records_the_two_whose_alerts_changed_in_one_transaction_before_the_third(int parallelism)
    {
        var store = new CountingAlertStore(Stores.GetRequiredService<IAlertStore>());
        var engine = Engine(store);
        var pass = await QueueAsync(("pat-a", 88), ("pat-b", 97), ("pat-c", 85));

        var outcomes = await engine.EvaluatePassAsync(pass, parallelism, CancellationToken.None);

        Assert.Equal(["pat-a", "pat-b", "pat-c"], outcomes.Select(o => o.PatientId));
        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        // A low SpO2 raises its threshold alert and the NEWS2 alert it drives; 97 % raises nothing.
        Assert.Equal([["threshold:spo2", "news2"], [], ["threshold:spo2", "news2"]],
            outcomes.Select(o => o.Recorded.Select(e => e.Alert.ConditionKey).ToArray()));
        Assert.Equal((2, 0), (store.ManyCalls, store.SingleCalls));
        Assert.Equal([["pat-a", "pat-c"], ["pat-b"]], store.Transactions);
        // The quiet group's writes may wait behind urgent ones (SQLite's write turns); the alerts' may not.
        Assert.Equal([false, true], store.Deferrable);
        Assert.False(WriteUrgency.IsDeferrable);
        Assert.Equal(0, (await Stores.GetRequiredService<IEvaluationQueue>().PendingAsync()).Count);
        Assert.Equal(2, (await Stores.GetRequiredService<INews2AssessmentStore>().ListAsync("pat-a")).Count + (await Stores.GetRequiredService<INews2AssessmentStore>().ListAsync("pat-c")).Count);
    }

    [Fact]
    public async Task When_the_shared_commit_fails_each_patient_is_recorded_alone_and_only_the_failing_one_waits()
    {
        var store = new CountingAlertStore(Stores.GetRequiredService<IAlertStore>()) { FailFor = "pat-b" };
        var engine = Engine(store);
        var pass = await QueueAsync(("pat-a", 88), ("pat-b", 86), ("pat-c", 85));

        var outcomes = await engine.EvaluatePassAsync(pass, 2, CancellationToken.None);

        Assert.Equal([true, false, true], outcomes.Select(o => o.Succeeded));
        Assert.IsType<InvalidOperationException>(outcomes[1].Failure);
        Assert.Equal((1, 3), (store.ManyCalls, store.SingleCalls));
        Assert.Equal([["pat-a", "pat-b", "pat-c"], ["pat-a"], ["pat-b"], ["pat-c"]], store.Transactions);
        var log = await Stores.GetRequiredService<IAlertEventLog>().ReadAfterAsync(0, 100);
        Assert.Equal([("pat-a", "threshold:spo2"), ("pat-a", "news2"), ("pat-c", "threshold:spo2"), ("pat-c", "news2")],
            log.Select(e => (e.PatientId, e.Alert.ConditionKey)));
        // pat-b's item stays due (the worker defers it); the others are done.
        Assert.Equal(["pat-b"], (await Stores.GetRequiredService<IEvaluationQueue>().ClaimAsync(100, _clock.GetUtcNow(), [])).Select(item => item.PatientId));

        // Once the store recovers, pat-b's evaluation is recorded, once.
        store.FailFor = null;
        var retried = await engine.EvaluatePassAsync([new PatientDueItems("pat-b", pass[1].Items)], 2, CancellationToken.None);
        Assert.Equal(["threshold:spo2", "news2"], retried.Single().Recorded.Select(e => e.Alert.ConditionKey));
        Assert.Equal(6, (await Stores.GetRequiredService<IAlertEventLog>().ReadAfterAsync(0, 100)).Count);
    }

    [Fact]
    public async Task What_must_precede_recording_hears_each_group_in_turn_and_a_patient_it_fails_for_stays_due_alone()
    {
        var store = new CountingAlertStore(Stores.GetRequiredService<IAlertStore>());
        var engine = Engine(store);
        var pass = await QueueAsync(("pat-a", 88), ("pat-b", 97), ("pat-c", 85), ("pat-d", 96));
        var log = Stores.GetRequiredService<IAlertEventLog>();
        var heard = new List<string[]>();
        var heardDeferrable = new List<bool>();
        var loggedWhenHeard = new List<int>();
        var refused = new InvalidOperationException("follower down");

        var outcomes = await engine.EvaluatePassAsync(pass, 2, new EvaluationPassHooks
        {
            BeforeRecording = async (group, token) =>
            {
                heard.Add([.. group.Select(patient => patient.PatientId)]);
                heardDeferrable.Add(WriteUrgency.IsDeferrable);
                loggedWhenHeard.Add((await log.ReadAfterAsync(0, 100, token)).Count);
                return [.. group.Select(patient => patient.PatientId is "pat-c" or "pat-d" ? refused : null)];
            },
            AlertsRecorded = () => heard.Add(["alerts recorded"]),
        }, CancellationToken.None);

        // The patients whose alerts changed are heard and recorded first (pat-a's two events are in the log before
        // the quiet group is heard); pat-c, refused, raised nothing.
        Assert.Equal([["pat-a", "pat-c"], ["alerts recorded"], ["pat-b", "pat-d"]], heard);
        Assert.Equal([0, 2], loggedWhenHeard);
        Assert.Equal([false, true], heardDeferrable); // the quiet group's FHIR Observations may wait too
        Assert.Equal([true, true, false, false], outcomes.Select(o => o.Succeeded));
        Assert.Same(refused, outcomes[2].Failure);
        Assert.Same(refused, outcomes[3].Failure);
        Assert.Equal([["pat-a"], ["pat-b"]], store.Transactions);
        Assert.Equal([("pat-a", "threshold:spo2"), ("pat-a", "news2")], (await log.ReadAfterAsync(0, 100)).Select(e => (e.PatientId, e.Alert.ConditionKey)));
        Assert.Equal(["pat-c", "pat-d"], (await Stores.GetRequiredService<IEvaluationQueue>().ClaimAsync(100, _clock.GetUtcNow(), [])).Select(item => item.PatientId));
    }

    private AlertEngine Engine(IAlertStore alerts) => new(alerts, Stores.GetRequiredService<IAlertEventLog>(),
        Stores.GetRequiredService<IRuleStateStore>(), _readings, Stores.GetRequiredService<IThresholdRepository>(),
        Stores.GetRequiredService<IPatientRepository>(), Stores.GetRequiredService<INews2AssessmentStore>(), [],
        Options.Create(new AlertOptions()), _clock, NullLogger<AlertEngine>.Instance,
        Stores.GetRequiredService<IConsciousnessStore>(), Stores.GetRequiredService<IMonitoringPlanStore>());

    private readonly InMemoryReadingStore _readings = new();

    private async Task<IReadOnlyList<PatientDueItems>> QueueAsync(params (string PatientId, double Spo2)[] readings)
    {
        var queue = Stores.GetRequiredService<IEvaluationQueue>();
        var stored = await _readings.AppendAsync([.. readings.Select(r => new Reading("dev-" + r.PatientId, r.PatientId, VitalKind.Spo2, r.Spo2, Start, Start))]);
        await queue.EnqueueReadingsAsync(stored);
        var due = await queue.ClaimAsync(100, _clock.GetUtcNow(), []);
        return [.. due.GroupBy(item => item.PatientId).Select(g => new PatientDueItems(g.Key, [.. g]))];
    }

    /// <summary>Counts the engine's commits, and can make any commit that includes one patient fail (a store that refuses it).</summary>
    private sealed class CountingAlertStore(IAlertStore inner) : IAlertStore
    {
        public string? FailFor { get; set; }

        public int ManyCalls { get; private set; }

        public int SingleCalls { get; private set; }

        /// <summary>The patients of each commit, in the order the commits were made (failed ones included).</summary>
        public List<string[]> Transactions { get; } = [];

        /// <summary>Whether each commit was made as deferrable work (<see cref="WriteUrgency"/>), in the same order.</summary>
        public List<bool> Deferrable { get; } = [];

        public Task<IReadOnlyList<IReadOnlyList<AlertEventRecord>>> CommitManyAsync(IReadOnlyList<AlertCommit> commits, CancellationToken cancellationToken = default)
        {
            ManyCalls++;
            Transactions.Add([.. commits.Select(commit => commit.PatientId)]);
            Deferrable.Add(WriteUrgency.IsDeferrable);
            return commits.Any(commit => commit.PatientId == FailFor)
                ? throw new InvalidOperationException("refused")
                : inner.CommitManyAsync(commits, cancellationToken);
        }

        public Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default)
        {
            SingleCalls++;
            Transactions.Add([commit.PatientId]);
            Deferrable.Add(WriteUrgency.IsDeferrable);
            return commit.PatientId == FailFor ? throw new InvalidOperationException("refused") : inner.CommitAsync(commit, cancellationToken);
        }

        public Task<AlertCase?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default) => inner.GetActiveAsync(patientId, conditionKey, cancellationToken);

        public Task<IReadOnlyList<AlertCase>> ListActiveForPatientAsync(string patientId, CancellationToken cancellationToken = default) => inner.ListActiveForPatientAsync(patientId, cancellationToken);

        public Task<AlertCase?> GetAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.GetAsync(alertId, cancellationToken);

        public Task<StoredAlert?> GetStoredAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.GetStoredAsync(alertId, cancellationToken);

        public Task<IReadOnlyList<AlertCase>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);
    }
}
