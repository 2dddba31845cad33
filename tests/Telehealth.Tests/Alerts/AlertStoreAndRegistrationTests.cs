using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telehealth.Alerts;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Escalation;
using Microsoft.Extensions.Hosting;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Evaluation;
using Telehealth.Alerts.Recording;
using Telehealth.Alerts.Rules;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Ingestion;
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;

namespace Telehealth.Tests.Alerts;

public sealed class AlertStoreAndRegistrationTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Alerts_round_trip_and_list_newest_first_with_filters()
    {
        var store = new SqliteAlertStore(_temp.Database);
        var open = await CommitAsync(store, TestAlerts.Raise("pat-a", "threshold:spo2", Start));
        var acknowledgedActive = await CommitAsync(store, AlertCaseLifecycle.Acknowledge(
            await CommitAsync(store, TestAlerts.Raise("pat-a", "news2", Start.AddMinutes(1))), "nurse.jones", Start.AddMinutes(2)));
        var resolved = await CommitAsync(store, AlertCaseLifecycle.Resolve(
            await CommitAsync(store, TestAlerts.Raise("pat-a", "event:fall_detected", Start.AddMinutes(2), AlertSeverity.Critical, instantaneous: true)),
            "nurse.jones", AlertOutcome.ActionTaken, "visited", Start.AddMinutes(3)));
        var otherPatient = await CommitAsync(store, TestAlerts.Raise("pat-b", "threshold:spo2", Start.AddMinutes(3)));

        Assert.Equal(resolved, await store.GetAsync(resolved.Id));
        Assert.Equal((AlertCaseStatus.Resolved, AlertOutcome.ActionTaken, "nurse.jones"), (resolved.Status, resolved.Outcome, resolved.ResolvedBy));
        Assert.Equal(acknowledgedActive, await store.GetActiveAsync("pat-a", "news2"));
        Assert.Null(await store.GetActiveAsync("pat-a", "event:fall_detected"));
        Assert.Equal([open.Id, acknowledgedActive.Id], (await store.ListActiveForPatientAsync("pat-a")).Select(a => a.Id));
        Assert.Equal([resolved.Id, acknowledgedActive.Id, open.Id], (await store.ListAsync(new AlertQuery("pat-a"))).Select(a => a.Id));
        Assert.Equal([acknowledgedActive.Id, open.Id], (await store.ListAsync(new AlertQuery("pat-a", ActiveOnly: true))).Select(a => a.Id));
        Assert.Equal([otherPatient.Id, open.Id], (await store.ListAsync(new AlertQuery(Status: AlertCaseStatus.Open))).Select(a => a.Id));
        Assert.Equal([otherPatient.Id], (await store.ListAsync(new AlertQuery(Limit: 1))).Select(a => a.Id));
    }

    [Fact]
    public async Task Events_keep_the_cores_fields_and_wire_names()
    {
        var store = new SqliteAlertStore(_temp.Database);
        var raised = await CommitAsync(store, TestAlerts.Raise("pat-a", "threshold:spo2", Start));
        await CommitAsync(store, AlertCaseLifecycle.Snooze(raised, "nurse.jones", Start.AddMinutes(30), ResponsePolicy.Default, Start.AddMinutes(1)));
        await CommitAsync(store, AlertCaseLifecycle.Assign(raised, "nurse.jones", "nurse.smith", Start.AddMinutes(2)));

        var events = await store.ForAlertAsync(raised.Id);

        Assert.Equal([AlertEventType.Raised, AlertEventType.Snoozed, AlertEventType.Assigned], events.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Event.Sequence!.Value));
        Assert.Equal(("nurse.jones", "nurse.jones", Start.AddMinutes(30)), (events[1].Actor, events[1].Event.Subject, events[1].Event.Until));
        Assert.Equal(("nurse.smith", "nurse.smith"), (events[2].Event.Subject, events[2].Alert.AssignedTo));
        Assert.Equal(AlertSeverity.High, events[0].Event.Severity);
    }

    [Fact]
    public async Task The_database_refuses_a_second_not_resolved_alert_for_one_condition()
    {
        var store = new SqliteAlertStore(_temp.Database);
        await CommitAsync(store, TestAlerts.Raise("pat-a", "threshold:spo2", Start));

        await Assert.ThrowsAsync<DuplicateActiveAlertException>(() =>
            store.CommitAsync(new AlertCommit("pat-a", [TestAlerts.Raise("pat-a", "threshold:spo2", Start)], [])));
        Assert.Equal(1, await store.LatestSequenceAsync());
    }

    private static async Task<AlertCase> CommitAsync(SqliteAlertStore store, AlertChange change)
    {
        Assert.True(change.Changed, change.Refused);
        await store.CommitAsync(new AlertCommit(change.Alert.PatientId, [change], []));
        return change.Alert;
    }

    [Fact]
    public async Task Registration_puts_evaluation_behind_the_queue_and_alerts_behind_one_store_and_log()
    {
        await using var provider = Services(new Dictionary<string, string?> { ["Alerts:News2Window"] = "12:00:00" });

        // The engine is no longer an inline observer of ingest: the evaluation worker feeds it from the queue.
        Assert.Empty(provider.GetServices<IStoredDataObserver>());
        Assert.Same(provider.GetRequiredService<SqliteEvaluationQueue>(), provider.GetRequiredService<IEvaluationQueue>());
        Assert.Same(provider.GetRequiredService<IAlertStore>(), provider.GetRequiredService<IAlertEventLog>());
        Assert.Equal(
            [typeof(EvaluationWorker), typeof(RuleWakeupScheduler), typeof(AlertEventFollowers)],
            provider.GetServices<IHostedService>().Select(service => service.GetType()));
        Assert.Equal(TimeSpan.FromHours(12), provider.GetRequiredService<IOptions<AlertOptions>>().Value.News2Window);
    }

    [Theory]
    [InlineData("00:01:00")]
    [InlineData("8.00:00:00")]
    public async Task A_news2_window_out_of_range_fails_validation(string window)
    {
        await using var provider = Services(new Dictionary<string, string?> { ["Alerts:News2Window"] = window });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AlertOptions>>().Value);
        Assert.Contains("News2Window", failure.Message);
    }

    private ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(_temp.Database);
        services.AddSingleton<IReadingStore, InMemoryReadingStore>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddTelehealthAlerts();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
