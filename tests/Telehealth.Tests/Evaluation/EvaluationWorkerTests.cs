using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Storage.Sqlite;
using Telehealth.CareRecord.Alerting;
using Telehealth.Alerts;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Readings;
using Telehealth.Tests.Alerts;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Caseload;

namespace Telehealth.Tests.Evaluation;

/// <summary>
/// The evaluation worker (H2): a failed evaluation is retried until it succeeds, one patient's failure never holds up
/// another, and the alert it leads to is recorded once; a new alert does not wait for the last pass's quiet group,
/// and a person's items are still evaluated in queue order.
/// </summary>
[Trait("Hazard", "H2")]
public sealed class EvaluationWorkerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly FlakyThresholds _thresholds;
    private readonly GatedFollower _follower = new();
    private ClaimCountingQueue? _claims;
    private readonly ServiceProvider _provider;

    public EvaluationWorkerTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Evaluation:PollInterval"] = "00:00:00.050",
            ["Evaluation:RetryDelay"] = "00:00:05",
        }).Build());
        services.AddSingleton(_temp.Database);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IReadingStore, InMemoryReadingStore>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        _thresholds = new FlakyThresholds(new SqliteThresholdRepository(_temp.Database));
        services.AddSingleton<IThresholdRepository>(_thresholds);
        services.AddSingleton<IStoredDataObserver>(_follower);
        services.AddSingleton<IEvaluationQueue>(provider => _claims = new ClaimCountingQueue(provider.GetRequiredService<SqliteEvaluationQueue>()));
        services.AddTelehealthSqliteStorage();
        services.AddTelehealthAlerts();
        _provider = services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_failing_evaluation_is_retried_after_its_back_off_and_records_its_alert_once_while_other_patients_go_on()
    {
        _thresholds.FailFor("pat-a", times: 2);
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        await queue.EnqueueReadingsAsync([Low("pat-a", "dev-a"), Low("pat-b", "dev-b")]);
        var workers = _provider.GetServices<IHostedService>().ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }
        try
        {
            _provider.GetRequiredService<IEvaluationSignal>().Notify();

            // pat-b is evaluated at once; pat-a failed and waits out its back-off (5 s on the fake clock).
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 10)).Any(e => e.PatientId == "pat-b"));
            await WaitUntilAsync(() => Task.FromResult(_thresholds.Failures == 1));
            Assert.DoesNotContain(await log.ReadAfterAsync(0, 10), e => e.PatientId == "pat-a");

            // Drive the fake clock a second at a time (and nudge the worker, whose poll timer runs on this clock) until
            // the retries have succeeded: the second attempt is due 5 s after the first failure, the third 10 s after
            // the second, so success cannot come before 15 s of fake time.
            var signal = _provider.GetRequiredService<IEvaluationSignal>();
            while ((await queue.PendingAsync()).Count > 0)
            {
                Assert.True(_clock.GetUtcNow() - Start < TimeSpan.FromMinutes(5), "the retries never succeeded");
                _clock.Advance(TimeSpan.FromSeconds(1));
                signal.Notify();
                await Task.Delay(20);
            }
            Assert.True(_clock.GetUtcNow() - Start >= TimeSpan.FromSeconds(15), "retried before its back-off");

            var events = await log.ReadAfterAsync(0, 10);
            // Each patient's low SpO2 raises its threshold alert and the NEWS2 it drives (a single parameter scoring 3).
            Assert.Equal([("pat-b", "threshold:spo2"), ("pat-b", "news2"), ("pat-a", "threshold:spo2"), ("pat-a", "news2")],
                events.Select(e => (e.PatientId, e.Alert.ConditionKey)));
            Assert.All(events, e => Assert.Equal(AlertEventType.Raised, e.Type));
            Assert.Equal(2, _thresholds.Failures);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task A_new_alert_is_recorded_while_the_last_pass_still_records_its_quiet_group_whose_people_wait_for_it_in_queue_order()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var held = _follower.HoldFirst("pat-quiet");
        await queue.EnqueueReadingsAsync([Spo2("pat-quiet", "dev-q", 97, Start)]);
        var workers = _provider.GetServices<IHostedService>().ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }
        try
        {
            signal.Notify();
            // The first pass changed no alert: it is recording its quiet group, held here in its FHIR follow. The worker
            // has claimed again beside it and found only that pass's person, so it waits for new work.
            await held.WaitAsync(TimeSpan.FromSeconds(20));
            await WaitUntilAsync(() => Task.FromResult(_claims!.Claims >= 2));
            await queue.EnqueueReadingsAsync([Low("pat-new", "dev-n"), Spo2("pat-quiet", "dev-q", 96, Start.AddMinutes(1))]);
            signal.Notify();

            // pat-new's alerts are recorded beside the held pass; pat-quiet's second reading waits behind its first.
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 10)).Count == 2);
            Assert.Equal([("pat-new", "threshold:spo2"), ("pat-new", "news2")], (await log.ReadAfterAsync(0, 10)).Select(e => (e.PatientId, e.Alert.ConditionKey)));
            Assert.Equal([("pat-quiet", 97.0), ("pat-new", 88.0)], _follower.Heard);
            Assert.Equal(2, (await queue.PendingAsync()).Count);

            _follower.Release();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            Assert.Equal([("pat-quiet", 97.0), ("pat-new", 88.0), ("pat-quiet", 96.0)], _follower.Heard);
            Assert.Equal(2, (await log.ReadAfterAsync(0, 10)).Count);
        }
        finally
        {
            _follower.Release();
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The worker asks the queue to skip the people its running passes hold, rather than claiming their items again and
    /// dropping them: while a pass holds pat-quiet every claim skips pat-quiet and returns none of pat-quiet's items, and
    /// pat-quiet's later reading is claimed once that pass has ended, by a claim that no longer skips them.
    /// </summary>
    [Fact]
    public async Task Claims_beside_a_running_pass_skip_its_people_and_claim_them_again_once_it_has_ended()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var held = _follower.HoldFirst("pat-quiet");
        await queue.EnqueueReadingsAsync([Spo2("pat-quiet", "dev-q", 97, Start)]);
        var workers = _provider.GetServices<IHostedService>().ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }
        try
        {
            signal.Notify();
            await held.WaitAsync(TimeSpan.FromSeconds(20));
            await WaitUntilAsync(() => Task.FromResult(_claims!.Claims >= 2));
            await queue.EnqueueReadingsAsync([Low("pat-new", "dev-n"), Spo2("pat-quiet", "dev-q", 96, Start.AddMinutes(1))]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 10)).Count == 2);

            var whileHeld = _claims!.Made;
            // The first claim found pat-quiet (nothing ran); every claim after it skipped pat-quiet and got none of theirs.
            Assert.Equal("skip [] -> [pat-quiet]", Describe(whileHeld[0]));
            Assert.All(whileHeld.Skip(1), claim => Assert.Contains("pat-quiet", claim.Skipped));
            Assert.All(whileHeld.Skip(1), claim => Assert.DoesNotContain("pat-quiet", claim.Returned));
            Assert.Equal(["skip [] -> [pat-quiet]", "skip [pat-quiet] -> [pat-new]"], whileHeld.Where(claim => claim.Returned.Length > 0).Select(Describe));

            _follower.Release();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            var found = _claims.Made.Where(claim => claim.Returned.Length > 0).ToList();
            Assert.Equal([["pat-quiet"], ["pat-new"], ["pat-quiet"]], found.Select(claim => claim.Returned));
            Assert.DoesNotContain("pat-quiet", found[2].Skipped);
            Assert.Equal([("pat-quiet", 97.0), ("pat-new", 88.0), ("pat-quiet", 96.0)], _follower.Heard);
        }
        finally
        {
            _follower.Release();
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }

        static string Describe((string[] Skipped, string[] Returned) claim) =>
            $"skip [{string.Join(", ", claim.Skipped)}] -> [{string.Join(", ", claim.Returned)}]";
    }

    /// <summary>
    /// Passes whose quiet groups take long pile up to four at once, never five, each of other people: a person's later
    /// reading waits for the pass that holds the person, and every reading is heard once, in queue order per person.
    /// </summary>
    [Fact]
    public async Task At_most_four_passes_are_under_way_at_once_each_of_other_people_and_every_reading_is_heard_once_in_order()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        _follower.HoldEach("pat-1", "pat-2", "pat-3", "pat-4", "pat-5");
        var workers = _provider.GetServices<IHostedService>().ToList();
        foreach (var worker in workers)
        {
            await worker.StartAsync(CancellationToken.None);
        }
        try
        {
            // One person per pass: each pass is held in its quiet group's FHIR follow before the next person is queued.
            for (var person = 1; person <= 4; person++)
            {
                await queue.EnqueueReadingsAsync([Spo2($"pat-{person}", $"dev-{person}", 97, Start)]);
                signal.Notify();
                var held = person;
                await WaitUntilAsync(() => Task.FromResult(_follower.Holding.Contains($"pat-{held}")));
            }
            var claimsAtTheBound = _claims!.Claims;
            await queue.EnqueueReadingsAsync([Spo2("pat-1", "dev-1", 96, Start.AddMinutes(1)), Spo2("pat-5", "dev-5", 95, Start)]);
            signal.Notify();
            // Four passes are under way: the worker waits for the oldest to end before it looks for more work. Nothing
            // can be waited on to show that it did not look, so this one wait is a fixed time.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            Assert.Equal(claimsAtTheBound, _claims.Claims);
            Assert.Equal(["pat-1", "pat-2", "pat-3", "pat-4"], _follower.Holding.Order(StringComparer.Ordinal));

            // The oldest ends: the next pass takes pat-5 and pat-1's later reading (pat-1 is free again).
            _follower.Release("pat-1");
            await WaitUntilAsync(() => Task.FromResult(_follower.Holding.Contains("pat-5")));
            Assert.Equal(["pat-2", "pat-3", "pat-4", "pat-5"], _follower.Holding.Order(StringComparer.Ordinal));
            Assert.Equal(4, _follower.MostHeldAtOnce);

            foreach (var person in new[] { "pat-2", "pat-3", "pat-4", "pat-5", "pat-1" })
            {
                _follower.Release(person);
            }
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            Assert.Equal(4, _follower.MostHeldAtOnce);
            var heard = _follower.Heard;
            Assert.Equal(6, heard.Count);
            Assert.Equal(6, heard.Distinct().Count());
            Assert.Equal([97.0, 96.0], heard.Where(h => h.Item1 == "pat-1").Select(h => h.Item2));
            Assert.Equal(["pat-1", "pat-2", "pat-3", "pat-4"], heard.Take(4).Select(h => h.Item1));
        }
        finally
        {
            _follower.Release();
            foreach (var worker in workers)
            {
                await worker.StopAsync(CancellationToken.None);
            }
        }
    }

    private static Reading Spo2(string patientId, string deviceId, double value, DateTimeOffset at) => new(deviceId, patientId, VitalKind.Spo2, value, at, at);

    private static Reading Low(string patientId, string deviceId) => new(deviceId, patientId, VitalKind.Spo2, 88, Start, Start);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    /// <summary>
    /// The SQLite queue, counting the claims made (the worker's looks for work) and recording each: the people it was
    /// asked to skip and the people of the items it returned.
    /// </summary>
    private sealed class ClaimCountingQueue(IEvaluationQueue inner) : IEvaluationQueue
    {
        private readonly Lock _lock = new();
        private readonly List<(string[] Skipped, string[] Returned)> _made = [];
        private int _claims;

        public int Claims => Volatile.Read(ref _claims);

        /// <summary>Every claim so far: the people skipped (ordinal order) and the people returned (each once, in order).</summary>
        public IReadOnlyList<(string[] Skipped, string[] Returned)> Made
        {
            get
            {
                lock (_lock)
                {
                    return [.. _made];
                }
            }
        }

        public async Task<IReadOnlyList<DueItem>> ClaimAsync(int maxItems, DateTimeOffset now, IReadOnlyCollection<string> skipPatients,
            CancellationToken cancellationToken = default)
        {
            // Copied before the claim: the worker's set is its own and may change once the claim has answered.
            var skipped = skipPatients.Order(StringComparer.Ordinal).ToArray();
            var due = await inner.ClaimAsync(maxItems, now, skipPatients, cancellationToken);
            lock (_lock)
            {
                _made.Add((skipped, [.. due.Select(item => item.PatientId).Distinct()]));
            }
            Interlocked.Increment(ref _claims);
            return due;
        }

        public Task EnqueueReadingsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default) => inner.EnqueueReadingsAsync(readings, cancellationToken);

        public Task EnqueueEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default) => inner.EnqueueEventAsync(telecareEvent, cancellationToken);

        public Task EnqueueStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken = default) => inner.EnqueueStatusAsync(status, cancellationToken);

        public Task EnqueueReassessAsync(string patientId, CareRecordChange change, CancellationToken cancellationToken = default) =>
            inner.EnqueueReassessAsync(patientId, change, cancellationToken);

        public Task DeferAsync(IReadOnlyList<long> sequences, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default) =>
            inner.DeferAsync(sequences, error, retryAt, cancellationToken);

        public Task<(int Count, DateTimeOffset? OldestEnqueuedAt)> PendingAsync(CancellationToken cancellationToken = default) => inner.PendingAsync(cancellationToken);

        public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => inner.PruneAsync(before, cancellationToken);
    }

    /// <summary>
    /// A follower of stored data that records what it heard (person, value), and can hold the first call that includes
    /// one person until released, like a FHIR outbox append that takes long.
    /// </summary>
    private sealed class GatedFollower : IStoredDataObserver
    {
        private readonly Lock _lock = new();
        private readonly List<(string, double)> _heard = [];
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, TaskCompletionSource> _gates = [];
        private readonly HashSet<string> _holding = [];
        private TaskCompletionSource? _held;
        private string? _holdFor;
        private int _mostHeldAtOnce;

        /// <summary>The people whose calls are being held now (<see cref="HoldEach"/>).</summary>
        public IReadOnlyCollection<string> Holding
        {
            get
            {
                lock (_lock)
                {
                    return [.. _holding];
                }
            }
        }

        /// <summary>The most calls held at one time (<see cref="HoldEach"/>).</summary>
        public int MostHeldAtOnce
        {
            get
            {
                lock (_lock)
                {
                    return _mostHeldAtOnce;
                }
            }
        }

        /// <summary>Holds every call that includes one of these people until <see cref="Release(string)"/> names one of them.</summary>
        public void HoldEach(params string[] patientIds)
        {
            lock (_lock)
            {
                foreach (var patientId in patientIds)
                {
                    _gates[patientId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }

        /// <summary>Lets the held call of one person (and that person's later ones) go on.</summary>
        public void Release(string patientId)
        {
            lock (_lock)
            {
                _gates[patientId].TrySetResult();
            }
        }

        public IReadOnlyList<(string, double)> Heard
        {
            get
            {
                lock (_lock)
                {
                    return [.. _heard];
                }
            }
        }

        /// <summary>Holds the first call that includes <paramref name="patientId"/>; the answer completes once it is held.</summary>
        public Task HoldFirst(string patientId)
        {
            _holdFor = patientId;
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _held.Task;
        }

        /// <summary>Releases the call held by <see cref="HoldFirst"/>, and every person held by <see cref="HoldEach"/>.</summary>
        public void Release()
        {
            _released.TrySetResult();
            lock (_lock)
            {
                foreach (var gate in _gates.Values)
                {
                    gate.TrySetResult();
                }
            }
        }

        public async Task OnReadingsStoredAsync(IReadOnlyList<Reading> newReadings, CancellationToken cancellationToken)
        {
            bool hold;
            lock (_lock)
            {
                _heard.AddRange(newReadings.Select(reading => (reading.PatientId, reading.Value)));
                hold = _holdFor is { } patient && newReadings.Any(reading => reading.PatientId == patient);
                if (hold)
                {
                    _holdFor = null;
                }
            }
            if (hold)
            {
                _held!.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }
            List<(string PatientId, Task Gate)> gates;
            lock (_lock)
            {
                gates = [.. newReadings.Select(reading => reading.PatientId).Distinct()
                    .Where(_gates.ContainsKey).Select(patient => (patient, _gates[patient].Task)).Where(gate => !gate.Task.IsCompleted)];
                if (gates.Count > 0)
                {
                    _holding.UnionWith(gates.Select(gate => gate.PatientId));
                    _mostHeldAtOnce = Math.Max(_mostHeldAtOnce, _holding.Count);
                }
            }
            foreach (var (patientId, gate) in gates)
            {
                await gate.WaitAsync(cancellationToken);
            }
            lock (_lock)
            {
                _holding.ExceptWith(gates.Select(gate => gate.PatientId));
            }
        }

        public Task OnEventStoredAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task OnStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A threshold repository that fails a set number of times for one patient, like a database that is briefly unavailable.</summary>
    private sealed class FlakyThresholds(IThresholdRepository inner) : IThresholdRepository
    {
        private string? _patient;
        private int _remaining;
        private int _failures;

        public int Failures => Volatile.Read(ref _failures);

        public void FailFor(string patientId, int times) => (_patient, _remaining) = (patientId, times);

        public Task<IReadOnlyList<VitalThreshold>> GetOverridesAsync(string patientId, CancellationToken cancellationToken = default) =>
            inner.GetOverridesAsync(patientId, cancellationToken);

        public Task SetOverridesAsync(string patientId, IReadOnlyList<VitalThreshold> overrides, string setBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.SetOverridesAsync(patientId, overrides, setBy, at, cancellationToken);

        public Task<ThresholdSet> GetEffectiveAsync(string patientId, CancellationToken cancellationToken = default)
        {
            if (patientId == _patient && _remaining > 0)
            {
                _remaining--;
                Interlocked.Increment(ref _failures);
                throw new InvalidOperationException("threshold store unavailable");
            }
            return inner.GetEffectiveAsync(patientId, cancellationToken);
        }

        public Task<ThresholdSet> GetEffectiveAtAsync(string patientId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            inner.GetEffectiveAtAsync(patientId, at, cancellationToken);

        public Task<ThresholdTimeline> GetTimelineAsync(string patientId, CancellationToken cancellationToken = default) =>
            inner.GetTimelineAsync(patientId, cancellationToken);
    }
}
