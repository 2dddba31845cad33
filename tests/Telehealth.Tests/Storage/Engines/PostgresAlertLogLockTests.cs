using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Evaluation;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Postgres;
using Telehealth.Tests.Alerts;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>
/// The alert log's advisory lock (<see cref="PostgresLocks.AlertLog"/>) on PostgreSQL: taken by exactly the commits that
/// append events (or write over an expected version), and with two instances committing at once every event is recorded
/// once, each commit's events get consecutive sequence numbers, and a follower reading "after its cursor" misses none.
/// </summary>
[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresAlertLogLockTests(PostgresStoreFixture fixture) : StoreSuite(new PostgresStoreEngine(fixture))
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider _clock = new(Start);

    /// <summary>Items are due from <see cref="Start"/> (on the system clock they were due only from the hour the test ran).</summary>
    protected override TimeProvider Clock => _clock;

    private string ConnectionString => ((PostgresStoreEngine)Engine).ConnectionString;

    [Fact]
    public async Task A_pass_without_events_commits_while_the_alert_log_is_locked_and_a_pass_with_an_event_waits_for_it()
    {
        var queue = Get<IEvaluationQueue>();
        var store = Get<IAlertStore>();
        await queue.EnqueueReadingsAsync([.. Readings("pat-a", 3), .. Readings("pat-b", 1)]);
        var due = await queue.ClaimAsync(100, Start, []);
        Assert.Equal(4, due.Count);
        var raise = TestAlerts.Raise("pat-b", "threshold:spo2", Start);
        Assert.Single(raise.Events);

        // Another instance holds the alert log (as while it appends events).
        await using var holder = new NpgsqlConnection(ConnectionString);
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync();
        await PostgresLocks.TakeAsync(holder, held, PostgresLocks.AlertLog, CancellationToken.None);

        // pat-a's pass changes rule state and completes its items only: it does not queue behind the log.
        var quiet = await store.CommitAsync(new AlertCommit("pat-a", [],
            [.. due.Where(item => item.PatientId == "pat-a").Select(item => item.Sequence)],
            [new StoredRuleState("threshold:spo2", new RuleState("{\"n\":3}"), Start.AddMinutes(5), null, Start)])).WaitAsync(Patience);
        Assert.Empty(quiet);
        Assert.Equal(1, (await queue.PendingAsync()).Count);

        // pat-b's pass raises an alert: it waits for the lock (seen in pg_stat_activity), and commits once it is free.
        var loud = store.CommitAsync(new AlertCommit("pat-b", [raise], [.. due.Where(item => item.PatientId == "pat-b").Select(item => item.Sequence)]));
        await PostgresLockWaiters.WaitForAsync(holder, 1, Patience);
        Assert.False(loud.IsCompleted);
        Assert.Empty(await Get<IAlertEventLog>().ReadAfterAsync(0, 10));
        await held.RollbackAsync();
        var recorded = await loud.WaitAsync(Patience);

        Assert.Equal([1L], recorded.Select(record => record.Sequence));
        Assert.Equal((0, null), await queue.PendingAsync());
        Assert.Equal(AlertEventType.Raised, Assert.Single(await Get<IAlertEventLog>().ReadAfterAsync(0, 10)).Event.Type);
    }

    [Fact]
    public async Task Two_instances_committing_passes_at_once_record_each_of_240_events_once_in_commit_order_and_a_follower_misses_none()
    {
        await using var other = await Engine.OpenAnotherAsync(TimeProvider.System);
        var stores = new[] { Get<IAlertStore>(), other.GetRequiredService<IAlertStore>() };
        var log = Get<IAlertEventLog>();
        const int PeoplePerInstance = 12, PassesPerPerson = 10;
        var commits = new List<IReadOnlyList<long>>();
        var writersDone = false;

        // Each instance commits passes for its own people, three people per CommitManyAsync, each pass raising one new
        // alert per person (a new condition each pass) beside a rule-state change: 2 × 12 × 10 = 240 events.
        async Task CommitPassesAsync(int instance)
        {
            var people = Enumerable.Range(0, PeoplePerInstance).Select(i => $"pat-{instance}-{i:00}").ToList();
            for (var pass = 0; pass < PassesPerPerson; pass++)
            {
                foreach (var group in people.Chunk(3))
                {
                    var batch = group.Select(person => new AlertCommit(person,
                        [TestAlerts.Raise(person, $"threshold:c{pass}", Start.AddSeconds(pass))], [],
                        [new StoredRuleState($"threshold:c{pass}", new RuleState("{}"), null, null, Start)])).ToList();
                    var recorded = await stores[instance].CommitManyAsync(batch);
                    lock (commits)
                    {
                        commits.Add([.. recorded.SelectMany(records => records).Select(record => record.Sequence)]);
                    }
                }
            }
        }

        // A follower on the first instance reads "after its cursor" in small pages while both write.
        async Task<List<long>> FollowAsync()
        {
            var seen = new List<long>();
            var cursor = 0L;
            while (true)
            {
                var finished = Volatile.Read(ref writersDone);
                var page = await log.ReadAfterAsync(cursor, 7);
                seen.AddRange(page.Select(record => record.Sequence));
                cursor = page.Count > 0 ? page[^1].Sequence : cursor;
                if (page.Count == 0 && finished)
                {
                    return seen;
                }
            }
        }

        var follower = Task.Run(FollowAsync);
        await Task.WhenAll(Task.Run(() => CommitPassesAsync(0)), Task.Run(() => CommitPassesAsync(1))).WaitAsync(Patience);
        Volatile.Write(ref writersDone, true);
        var followed = await follower.WaitAsync(Patience);

        var all = (await log.ReadAfterAsync(0, 1_000)).Select(record => record.Sequence).ToList();
        Assert.Equal(240, all.Count);
        Assert.Equal(Enumerable.Range(1, 240).Select(i => (long)i), all);
        Assert.Equal(all, followed); // every event once, none skipped by the follower
        Assert.Equal(80, commits.Count);
        Assert.All(commits, sequences => Assert.Equal(3, sequences.Count));
        // Each commit's events are consecutive and no two commits interleave: the sequence is the commit order.
        var ordered = commits.OrderBy(sequences => sequences[0]).ToList();
        Assert.Equal(all, ordered.SelectMany(sequences => sequences));
    }

    private static List<Reading> Readings(string patientId, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Reading("dev-" + patientId, patientId, VitalKind.HeartRate, 60 + i, Start.AddSeconds(i), Start.AddSeconds(i)))];
}
