using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Alerts;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// The followers of the alert event log (H3: an alert reaches the dashboards): a follower handles the next events while
/// its place is still being saved, so a slow save never delays a push, and a save that failed is made again, so the
/// place saved catches up with the events handled. Each event is handled once.
/// </summary>
[Trait("Hazard", "H3")]
public sealed class AlertEventFollowersTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-1);

    private readonly TempDatabase _temp = new();
    private readonly RecordingFollower _follower = new();
    private readonly ServiceProvider _provider;
    private GatedCursorLog? _log;

    public AlertEventFollowersTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Evaluation:PollInterval"] = "00:00:00.050",
        }).Build());
        services.AddSingleton(_temp.Database);
        services.AddSingleton<IReadingStore, InMemoryReadingStore>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IAlertEventLog>(provider => _log = new GatedCursorLog(provider.GetRequiredService<SqliteAlertStore>()));
        services.AddSingleton<IAlertEventFollower>(_follower);
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
    public async Task The_next_events_are_handled_while_the_place_after_the_last_ones_is_still_being_saved()
    {
        var hold = _provider.GetRequiredService<IAlertEventLog>() is GatedCursorLog log ? log.HoldNextSave() : throw new InvalidOperationException();
        await using var running = await StartFollowersAsync();
        var engine = _provider.GetRequiredService<AlertEngine>();

        await engine.EvaluateReadingsAsync([Low("pat-a")], CancellationToken.None);
        await hold.WaitAsync(TimeSpan.FromSeconds(20)); // the place after pat-a's two events is being saved, and held
        await engine.EvaluateReadingsAsync([Low("pat-b")], CancellationToken.None);

        await WaitUntilAsync(() => Task.FromResult(_follower.Handled.Count == 4));
        Assert.Equal(0, await _log!.GetCursorAsync(RecordingFollower.FollowerName)); // the held save has not ended
        _log.Release();
        await WaitUntilAsync(async () => await _log.GetCursorAsync(RecordingFollower.FollowerName) == 4);
        Assert.Equal([1L, 2, 3, 4], _follower.Handled);
    }

    [Fact]
    public async Task A_save_that_failed_is_made_again_when_the_follower_is_idle_and_no_event_is_handled_twice()
    {
        _provider.GetRequiredService<IAlertEventLog>();
        _log!.FailNextSave();
        await using var running = await StartFollowersAsync();

        await _provider.GetRequiredService<AlertEngine>().EvaluateReadingsAsync([Low("pat-a")], CancellationToken.None);

        await WaitUntilAsync(async () => await _log.GetCursorAsync(RecordingFollower.FollowerName) == 2);
        Assert.Equal(1, _log.FailedSaves);
        Assert.Equal([1L, 2], _follower.Handled);
    }

    private async Task<RunningFollowers> StartFollowersAsync()
    {
        var followers = _provider.GetServices<IHostedService>().OfType<AlertEventFollowers>().Single();
        await followers.StartAsync(CancellationToken.None);
        return new RunningFollowers(followers);
    }

    private static Reading Low(string patientId) => new("dev-" + patientId, patientId, VitalKind.Spo2, 88, Start, Start);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private sealed class RunningFollowers(AlertEventFollowers followers) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await followers.StopAsync(CancellationToken.None);
    }

    /// <summary>A follower that records the sequence of every event it handles.</summary>
    private sealed class RecordingFollower : IAlertEventFollower
    {
        public const string FollowerName = "recording";

        private readonly Lock _lock = new();
        private readonly List<long> _handled = [];

        public string Name => FollowerName;

        public bool StartsAtLatest => false;

        public bool OncePerCareRecord => false;

        public IReadOnlyList<long> Handled
        {
            get
            {
                lock (_lock)
                {
                    return [.. _handled];
                }
            }
        }

        public Task HandleAsync(IReadOnlyList<AlertEventRecord> events, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                _handled.AddRange(events.Select(e => e.Sequence));
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>The SQLite event log, whose next save of a place past 0 can be held until released, or made to fail once.</summary>
    private sealed class GatedCursorLog(SqliteAlertStore inner) : IAlertEventLog
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _held;
        private int _failNext;
        private int _failed;

        public int FailedSaves => Volatile.Read(ref _failed);

        public Task HoldNextSave()
        {
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _held.Task;
        }

        public void FailNextSave() => Volatile.Write(ref _failNext, 1);

        public void Release() => _released.TrySetResult();

        public async Task SetCursorAsync(string follower, long sequence, CancellationToken cancellationToken = default)
        {
            if (sequence > 0 && Interlocked.Exchange(ref _failNext, 0) == 1)
            {
                Interlocked.Increment(ref _failed);
                throw new InvalidOperationException("database busy");
            }
            if (sequence > 0 && Interlocked.Exchange(ref _held, null) is { } held)
            {
                held.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }
            await inner.SetCursorAsync(follower, sequence, cancellationToken);
        }

        public Task<long?> GetCursorAsync(string follower, CancellationToken cancellationToken = default) => inner.GetCursorAsync(follower, cancellationToken);

        public Task<IReadOnlyList<AlertEventRecord>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadAfterAsync(afterSequence, limit, cancellationToken);

        public Task<IReadOnlyList<AlertEventRecord>> ReadForTeamAfterAsync(string teamId, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadForTeamAfterAsync(teamId, afterSequence, limit, cancellationToken);

        public Task<IReadOnlyList<AlertEventRecord>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.ForAlertAsync(alertId, cancellationToken);

        public Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default) => inner.LatestSequenceAsync(cancellationToken);
    }
}
