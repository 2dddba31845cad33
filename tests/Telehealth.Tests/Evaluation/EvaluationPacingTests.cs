using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts;
using Telehealth.Alerts.Evaluation;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Evaluation;

/// <summary>
/// The evaluation worker under load (<see cref="EvaluationOptions.BusyPassSpacing"/>): after a claim of at least
/// <see cref="EvaluationOptions.BusyPassItems"/> items following another as large (sustained load; a single one is a
/// burst) the next claim waits out the spacing on the worker's clock (a
/// fake one here), so a busy queue is evaluated in fewer, larger passes; after a smaller claim, or as many items at a
/// moderate rate (<see cref="EvaluationOptions.BusyItemsPerSecond"/>: passes held up once), or a full claim
/// (<see cref="EvaluationOptions.MaxItemsPerPass"/>: more was waiting), the next comes at once. A held claim is made
/// once nothing has been queued for <see cref="EvaluationOptions.BusyQuietGap"/> (the load has stopped), and waits out
/// the whole spacing while work keeps arriving.
/// </summary>
[Trait("Hazard", "H2")]
public sealed class EvaluationPacingTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ServiceProvider _provider;

    public EvaluationPacingTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Evaluation:PollInterval"] = "00:00:00.050",
            ["Evaluation:BusyPassSpacing"] = "00:00:00.500",
            ["Evaluation:BusyQuietGap"] = "00:00:00.100",
            ["Evaluation:BusyPassItems"] = "3",
            ["Evaluation:MaxItemsPerPass"] = "4",
        }).Build());
        services.AddSingleton(_temp.Database);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IReadingStore, InMemoryReadingStore>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
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
    public async Task After_a_busy_claim_the_next_waits_out_the_spacing_and_after_a_light_one_it_comes_at_once()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        // Three items in one claim, the first: sustained load needs two such claims in a row.
        await queue.EnqueueReadingsAsync([Spo2("pat-busy", 97, Start), Spo2("pat-busy", 96, Start.AddMinutes(1)), Spo2("pat-busy", 98, Start.AddMinutes(2))]);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            signal.Notify();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            // Three more, at once (the clock stands still): not spaced after the first, so claimed now; busy.
            await queue.EnqueueReadingsAsync([Spo2("pat-busy-2", 97, Start), Spo2("pat-busy-2", 96, Start.AddMinutes(1)), Spo2("pat-busy-2", 98, Start.AddMinutes(2))]);
            signal.Notify();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);

            // New work during the spacing waits for it: not claimed while the worker's clock stands still. The worker
            // says when it has begun to hold (no real time is waited: a worker that never holds fails here).
            await queue.EnqueueReadingsAsync([Spo2("pat-late", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(() => Task.FromResult(worker.PassesSpaced == 1));
            Assert.Equal(1, (await queue.PendingAsync()).Count);
            Assert.DoesNotContain(await log.ReadAfterAsync(0, 100), e => e.PatientId == "pat-late");

            // Once the spacing has passed it is claimed and its alert recorded (a claim of one item: light).
            _clock.Advance(TimeSpan.FromMilliseconds(500));
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-late"));
            Assert.Equal(0, (await queue.PendingAsync()).Count);

            // After a light claim the next comes at once, with the clock still where it was.
            await queue.EnqueueReadingsAsync([Spo2("pat-next", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-next"));
            Assert.Equal(Start.AddMilliseconds(500), _clock.GetUtcNow());
            Assert.Equal(1, worker.PassesSpaced);
            Assert.Equal(["pat-late", "pat-late", "pat-next", "pat-next"],
                (await log.ReadAfterAsync(0, 100)).Select(e => e.PatientId)); // each low SpO2 raises its threshold alert and NEWS2
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Many_items_at_a_moderate_rate_after_a_hold_up_are_not_spaced_so_the_next_alert_is_not_made_later()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // A claim of BusyPassItems at the start: the worker has claimed at Start, and the next claim of as many
            // follows a large one (sustained), so only the rate can keep it from being spaced.
            await queue.EnqueueReadingsAsync([Spo2("pat-first", 97, Start.AddMinutes(-2)), Spo2("pat-first", 96, Start.AddMinutes(-1)), Spo2("pat-first", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-first"));

            // Three items (BusyPassItems) arrive over a second: 3 per second, far below BusyItemsPerSecond (5,000).
            // The worker's poll after the second claims them.
            await queue.EnqueueReadingsAsync([Spo2("pat-held", 97, Start.AddMinutes(-2)), Spo2("pat-held", 96, Start.AddMinutes(-1)), Spo2("pat-held", 88, Start)]);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-held"));

            // Not spaced: the next comes at once, the clock still where it was (spaced, it would wait for the clock).
            await queue.EnqueueReadingsAsync([Spo2("pat-next", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-next"));
            Assert.Equal(Start.AddSeconds(1), _clock.GetUtcNow());
            Assert.Equal(0, worker.PassesSpaced);
            Assert.Equal(0, (await queue.PendingAsync()).Count);
            Assert.Equal(["pat-first", "pat-first", "pat-held", "pat-held", "pat-next", "pat-next"],
                (await log.ReadAfterAsync(0, 100)).Select(e => e.PatientId));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_burst_at_a_moderate_rate_is_not_spaced_because_the_rate_is_taken_over_the_last_spacing_not_one_claim()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // Three items at the start, three a second later (the worker's poll claims them): 3 per second.
            await queue.EnqueueReadingsAsync([Spo2("pat-first", 97, Start.AddMinutes(-2)), Spo2("pat-first", 96, Start.AddMinutes(-1)), Spo2("pat-first", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-first"));
            await queue.EnqueueReadingsAsync([Spo2("pat-second", 97, Start.AddMinutes(-2)), Spo2("pat-second", 96, Start.AddMinutes(-1)), Spo2("pat-second", 88, Start)]);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-second"));

            // A burst: three more at once, claimed with no time passing since the claim before. Over that one claim the
            // rate is unbounded (as it was taken until 27 November, which spaced it); over the last spacing it is 6
            // items in a second.
            await queue.EnqueueReadingsAsync([Spo2("pat-burst", 97, Start.AddMinutes(-2)), Spo2("pat-burst", 96, Start.AddMinutes(-1)), Spo2("pat-burst", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-burst"));

            // Not spaced: the next comes at once, the clock still where it was.
            await queue.EnqueueReadingsAsync([Spo2("pat-next", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-next"));
            Assert.Equal(Start.AddSeconds(1), _clock.GetUtcNow());
            Assert.Equal(0, worker.PassesSpaced);
            Assert.Equal(0, (await queue.PendingAsync()).Count);
            Assert.Equal(["pat-first", "pat-first", "pat-second", "pat-second", "pat-burst", "pat-burst", "pat-next", "pat-next"],
                (await log.ReadAfterAsync(0, 100)).Select(e => e.PatientId));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_full_claim_is_not_spaced_so_the_spacing_never_caps_how_fast_a_backlog_is_evaluated()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // A claim of three first, so the next large one follows a large one (sustained load).
            await queue.EnqueueReadingsAsync([Spo2("pat-before", 97, Start), Spo2("pat-before", 96, Start.AddMinutes(1)), Spo2("pat-before", 95, Start.AddMinutes(2))]);
            signal.Notify();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            // Six items: a claim takes four (MaxItemsPerPass, and busy by count and rate), the next the other two.
            await queue.EnqueueReadingsAsync([.. Enumerable.Range(0, 6).Select(i => Spo2("pat-backlog", 97 - i, Start.AddMinutes(i)))]);
            signal.Notify();
            // All six evaluated while the worker's clock stands still: spaced, the last two would wait for it.
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            Assert.Equal(Start, _clock.GetUtcNow());
            Assert.Equal(0, worker.PassesSpaced);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_large_claim_after_a_small_one_is_a_burst_not_sustained_load_so_the_next_comes_at_once()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            // One item, then three at once (busy by count and rate: an ingest batch that waited for the writer).
            await queue.EnqueueReadingsAsync([Spo2("pat-one", 97, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
            await queue.EnqueueReadingsAsync([Spo2("pat-burst", 97, Start), Spo2("pat-burst", 96, Start.AddMinutes(1)), Spo2("pat-burst", 95, Start.AddMinutes(2))]);
            signal.Notify();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);

            // Not spaced: a low reading right after it raises its alerts with the clock still at Start.
            await queue.EnqueueReadingsAsync([Spo2("pat-next", 88, Start)]);
            signal.Notify();
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-next"));
            Assert.Equal(Start, _clock.GetUtcNow());
            Assert.Equal(0, worker.PassesSpaced);
            Assert.Equal(["pat-next", "pat-next"], (await log.ReadAfterAsync(0, 100)).Select(e => e.PatientId));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task When_nothing_more_arrives_a_held_claim_is_made_after_the_quiet_gap_not_the_whole_spacing()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await HoldAfterSustainedLoadAsync(worker, "pat-late");

            // Nothing else is queued: the clock moves 10 ms at a time (a step of real time apart, so the worker has begun
            // its wait before the first), and the held reading is claimed once 100 ms (BusyQuietGap) pass quietly, long
            // before the 500 ms spacing would end.
            while (!(await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-late") && _clock.GetUtcNow() < Start.AddMilliseconds(500))
            {
                await Task.Delay(20);
                _clock.Advance(TimeSpan.FromMilliseconds(10));
            }
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-late"));
            Assert.InRange(_clock.GetUtcNow(), Start.AddMilliseconds(100), Start.AddMilliseconds(200));
            Assert.Equal(0, (await queue.PendingAsync()).Count);
            Assert.Equal(1, worker.PassesSpaced);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task While_work_keeps_arriving_a_held_claim_waits_out_the_whole_spacing()
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var log = _provider.GetRequiredService<IAlertEventLog>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        var worker = _provider.GetServices<IHostedService>().OfType<EvaluationWorker>().Single();
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await HoldAfterSustainedLoadAsync(worker, "pat-late");

            // Something is queued every 50 ms (under the 100 ms quiet gap) for 450 ms: still held.
            for (var step = 0; step < 9; step++)
            {
                signal.Notify();
                await Task.Delay(20);
                _clock.Advance(TimeSpan.FromMilliseconds(50));
            }
            await Task.Delay(100);
            Assert.Equal(1, (await queue.PendingAsync()).Count);
            Assert.DoesNotContain(await log.ReadAfterAsync(0, 100), e => e.PatientId == "pat-late");

            // The spacing ends at 500 ms: claimed then.
            _clock.Advance(TimeSpan.FromMilliseconds(50));
            await WaitUntilAsync(async () => (await log.ReadAfterAsync(0, 100)).Any(e => e.PatientId == "pat-late"));
            Assert.Equal(Start.AddMilliseconds(500), _clock.GetUtcNow());
            Assert.Equal(0, (await queue.PendingAsync()).Count);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>Two busy claims in a row (sustained load), then one low reading of <paramref name="patientId"/>, held by the spacing.</summary>
    private async Task HoldAfterSustainedLoadAsync(EvaluationWorker worker, string patientId)
    {
        var queue = _provider.GetRequiredService<IEvaluationQueue>();
        var signal = _provider.GetRequiredService<IEvaluationSignal>();
        foreach (var busy in new[] { "pat-busy", "pat-busy-2" })
        {
            await queue.EnqueueReadingsAsync([Spo2(busy, 97, Start), Spo2(busy, 96, Start.AddMinutes(1)), Spo2(busy, 98, Start.AddMinutes(2))]);
            signal.Notify();
            await WaitUntilAsync(async () => (await queue.PendingAsync()).Count == 0);
        }
        await queue.EnqueueReadingsAsync([Spo2(patientId, 88, Start)]);
        signal.Notify();
        await WaitUntilAsync(() => Task.FromResult(worker.PassesSpaced == 1));
        Assert.Equal(1, (await queue.PendingAsync()).Count);
    }

    private static Reading Spo2(string patientId, double value, DateTimeOffset at) => new("dev-" + patientId, patientId, VitalKind.Spo2, value, at, at);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
