using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Alerts;
using Telehealth.Alerts.Engine;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Readings;
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>
/// "Two people cannot take the same alert" across processes, on every care-record engine: two alert cores, each with
/// its own store and connections on one database (as two platform instances share it), race for one alert. The
/// per-patient lock cannot help here; the store's conditional write on the alert's version does.
/// </summary>
public abstract class CrossProcessTakeConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_commit_decided_on_an_older_version_of_the_alert_is_refused_and_records_nothing()
    {
        var first = Get<IAlertStore>();
        await using var other = await Engine.OpenAnotherAsync(Clock);
        var second = other.GetRequiredService<IAlertStore>();
        var alert = await RaiseAsync(first);
        var seenByFirst = (await first.GetStoredAsync(alert.Id))!;
        var seenBySecond = (await second.GetStoredAsync(alert.Id))!;

        await first.CommitAsync(Acknowledge(seenByFirst, "nurse.a"));
        var refused = await Assert.ThrowsAsync<AlertChangedConcurrentlyException>(() => second.CommitAsync(Acknowledge(seenBySecond, "nurse.b")));

        Assert.Equal((alert.Id, 1L), (refused.AlertId, refused.ExpectedVersion));
        var stored = (await second.GetStoredAsync(alert.Id))!;
        Assert.Equal(("nurse.a", 2L), (stored.Alert.AcknowledgedBy, stored.Version));
        Assert.Equal([AlertEventType.Raised, AlertEventType.Acknowledged], (await other.GetRequiredService<IAlertEventLog>().ForAlertAsync(alert.Id)).Select(e => e.Type).ToArray());
    }

    [Theory]
    [InlineData("acknowledge")]
    [InlineData("assign")]
    public async Task Two_instances_racing_to_take_one_alert_exactly_one_wins_and_the_other_is_told_who_has_it(string action)
    {
        var gate = new CommitGate();
        await using var instanceA = Instance(gate: null);
        await using var instanceB = Instance(gate);
        var alert = await RaiseAsync(instanceA.GetRequiredService<IAlertStore>());
        var engineA = instanceA.GetRequiredService<AlertEngine>();
        var engineB = instanceB.GetRequiredService<AlertEngine>();
        Task<StaffActionResult> Take(AlertEngine engine, string who) => action == "acknowledge"
            ? engine.AcknowledgeAsync(alert.Id, who)
            : engine.AssignAsync(alert.Id, who, who, expectedOwner: null);

        // B reads the alert (nobody has it), decides, and is held just before its commit ...
        var tookB = Take(engineB, "nurse.b");
        await gate.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        // ... while A, in the other instance, takes it.
        var resultA = await Take(engineA, "nurse.a");
        gate.Release();
        var resultB = await tookB.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(resultA.Refused);
        Assert.Equal((StaffActionResult.TakenByAnother, "nurse.a"), (resultB.Refused, resultB.Owner));
        var stored = (await instanceB.GetRequiredService<IAlertStore>().GetAsync(alert.Id))!;
        Assert.Equal("nurse.a", AlertEngine.OwnerOf(stored));
        var taken = action == "acknowledge" ? AlertEventType.Acknowledged : AlertEventType.Assigned;
        var history = await instanceB.GetRequiredService<IAlertEventLog>().ForAlertAsync(alert.Id);
        Assert.Equal([AlertEventType.Raised, taken], history.Select(e => e.Type).ToArray());
        Assert.Equal(["system", "nurse.a"], history.Select(e => e.Actor).ToArray());
    }

    [Fact]
    public async Task An_action_that_lost_the_race_but_is_still_allowed_is_decided_again_and_recorded_once()
    {
        var gate = new CommitGate();
        await using var instanceA = Instance(gate: null);
        await using var instanceB = Instance(gate);
        var alert = await RaiseAsync(instanceA.GetRequiredService<IAlertStore>());

        var snoozeB = instanceB.GetRequiredService<AlertEngine>().SnoozeAsync(alert.Id, "nurse.b", DateTimeOffset.UtcNow.AddMinutes(30));
        await gate.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        await instanceA.GetRequiredService<AlertEngine>().AcknowledgeAsync(alert.Id, "nurse.a");
        gate.Release();
        var snoozed = await snoozeB.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Null(snoozed.Refused);
        var stored = (await instanceA.GetRequiredService<IAlertStore>().GetStoredAsync(alert.Id))!;
        Assert.Equal(("nurse.a", 3L), (stored.Alert.AcknowledgedBy, stored.Version)); // the acknowledgement was kept
        Assert.Equal(
            [AlertEventType.Raised, AlertEventType.Acknowledged, AlertEventType.Snoozed],
            (await instanceA.GetRequiredService<IAlertEventLog>().ForAlertAsync(alert.Id)).Select(e => e.Type).ToArray());
    }

    private static async Task<AlertCase> RaiseAsync(IAlertStore store)
    {
        var raise = TestAlerts.Raise("pat-race", "vital:spo2", At);
        await store.CommitAsync(new AlertCommit("pat-race", [raise], []));
        return raise.Alert;
    }

    private static AlertCommit Acknowledge(StoredAlert stored, string who) => new(
        stored.Alert.PatientId, [AlertCaseLifecycle.Acknowledge(stored.Alert, who, At.AddMinutes(1))], [],
        ExpectedVersions: new Dictionary<Guid, long> { [stored.Alert.Id] = stored.Version });

    /// <summary>One platform instance's alert core: its own database object (own connections) on the shared database.</summary>
    private ServiceProvider Instance(CommitGate? gate)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton<IReadingStore, InMemoryReadingStore>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Engine.AddStorage(services);
        if (gate is not null)
        {
            var inner = services.Last(descriptor => descriptor.ServiceType == typeof(IAlertStore));
            services.Remove(inner);
            services.AddSingleton<IAlertStore>(provider => new GatedAlertStore((IAlertStore)inner.ImplementationFactory!(provider), gate));
        }
        services.AddTelehealthAlerts();
        return services.BuildServiceProvider();
    }

    /// <summary>Holds the first commit until released, so the race is the same every run (no timing involved).</summary>
    private sealed class CommitGate
    {
        private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _used;

        public Task Paused => _paused.Task;

        public void Release() => _released.TrySetResult();

        public async Task PassAsync()
        {
            if (Interlocked.Exchange(ref _used, 1) == 0)
            {
                _paused.TrySetResult();
                await _released.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
    }

    private sealed class GatedAlertStore(IAlertStore inner, CommitGate gate) : IAlertStore
    {
        public async Task<IReadOnlyList<AlertEventRecord>> CommitAsync(AlertCommit commit, CancellationToken cancellationToken = default)
        {
            await gate.PassAsync();
            return await inner.CommitAsync(commit, cancellationToken);
        }

        public async Task<IReadOnlyList<IReadOnlyList<AlertEventRecord>>> CommitManyAsync(IReadOnlyList<AlertCommit> commits, CancellationToken cancellationToken = default)
        {
            await gate.PassAsync();
            return await inner.CommitManyAsync(commits, cancellationToken);
        }

        public Task<AlertCase?> GetActiveAsync(string patientId, string conditionKey, CancellationToken cancellationToken = default) => inner.GetActiveAsync(patientId, conditionKey, cancellationToken);

        public Task<IReadOnlyList<AlertCase>> ListActiveForPatientAsync(string patientId, CancellationToken cancellationToken = default) => inner.ListActiveForPatientAsync(patientId, cancellationToken);

        public Task<AlertCase?> GetAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.GetAsync(alertId, cancellationToken);

        public Task<StoredAlert?> GetStoredAsync(Guid alertId, CancellationToken cancellationToken = default) => inner.GetStoredAsync(alertId, cancellationToken);

        public Task<IReadOnlyList<AlertCase>> ListAsync(AlertQuery query, CancellationToken cancellationToken = default) => inner.ListAsync(query, cancellationToken);
    }
}

/// <summary>The race on the embedded engine: two SqliteDatabase objects on one file.</summary>
public sealed class CrossProcessTakeTests() : CrossProcessTakeConformance(new SqliteStoreEngine());
