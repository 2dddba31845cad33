using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telehealth.Alerts;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Lifecycle;
using Microsoft.Extensions.Hosting;
using Telehealth.Alerts.Engine;
using Telehealth.Alerts.Evaluation;
using Telehealth.Alerts.Recording;
using Telehealth.Contracts.Evaluation;
using Telehealth.Storage;
using Telehealth.Alerts.Storage;
using Telehealth.Contracts.Ingestion;
using Telehealth.Ingest.Storage;

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
        var open = NewAlert("pat-a", "threshold:spo2", Start);
        var acknowledgedActive = NewAlert("pat-a", "news2", Start.AddMinutes(1)) with
        {
            Status = AlertStatus.Acknowledged, AcknowledgedAt = Start.AddMinutes(2), AcknowledgedBy = "nurse.jones", AcknowledgedSeverity = AlertSeverity.High,
        };
        var closed = NewAlert("pat-a", "event:fall_detected", Start.AddMinutes(2)) with
        {
            Status = AlertStatus.Acknowledged, ConditionActive = false, AcknowledgedAt = Start.AddMinutes(3), AcknowledgedBy = "nurse.jones", ClearedAt = Start.AddMinutes(3),
        };
        var otherPatient = NewAlert("pat-b", "threshold:spo2", Start.AddMinutes(3));
        foreach (var alert in new[] { open, acknowledgedActive, closed, otherPatient })
        {
            await store.InsertAsync(alert);
        }

        Assert.Equal(closed, await store.GetAsync(closed.Id));
        Assert.Equal(acknowledgedActive, await store.GetActiveAsync("pat-a", "news2"));
        Assert.Null(await store.GetActiveAsync("pat-a", "event:fall_detected"));
        Assert.Equal([closed.Id, acknowledgedActive.Id, open.Id], (await store.ListAsync(new AlertQuery("pat-a"))).Select(a => a.Id));
        Assert.Equal([acknowledgedActive.Id, open.Id], (await store.ListAsync(new AlertQuery("pat-a", ActiveOnly: true))).Select(a => a.Id));
        Assert.Equal([otherPatient.Id, open.Id], (await store.ListAsync(new AlertQuery(Status: AlertStatus.Open))).Select(a => a.Id));
        Assert.Equal([otherPatient.Id], (await store.ListAsync(new AlertQuery(Limit: 1))).Select(a => a.Id));
    }

    [Fact]
    public async Task The_database_refuses_a_second_not_closed_alert_for_one_condition()
    {
        var store = new SqliteAlertStore(_temp.Database);
        await store.InsertAsync(NewAlert("pat-a", "threshold:spo2", Start));

        await Assert.ThrowsAsync<DuplicateActiveAlertException>(() => store.InsertAsync(NewAlert("pat-a", "threshold:spo2", Start)));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.UpdateAsync(NewAlert("pat-a", "news2", Start)));
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
            [typeof(EvaluationWorker), typeof(AlertEventFollowers)],
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

    private static Alert NewAlert(string patientId, string conditionKey, DateTimeOffset at) => new(
        Guid.NewGuid(), patientId, conditionKey, AlertSeverity.High, "reason", at, at, AlertStatus.Open, ConditionActive: true,
        Occurrences: 1, AcknowledgedAt: null, AcknowledgedBy: null, ClearedAt: null);
}
