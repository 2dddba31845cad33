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

using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>Alerts on the embedded engine (<see cref="AlertStoreConformance"/>) and how the alert core is registered.</summary>
public sealed class AlertStoreAndRegistrationTests() : AlertStoreConformance(new SqliteStoreEngine())
{
    [Fact]
    public async Task Registration_puts_evaluation_behind_the_queue_and_alerts_behind_one_store_and_log()
    {
        await using var provider = AlertServices(new Dictionary<string, string?> { ["Alerts:News2Window"] = "12:00:00" });

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
        await using var provider = AlertServices(new Dictionary<string, string?> { ["Alerts:News2Window"] = window });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AlertOptions>>().Value);
        Assert.Contains("News2Window", failure.Message);
    }

    private ServiceProvider AlertServices(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton(Services.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<IReadingStore, InMemoryReadingStore>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddTelehealthSqliteStorage();
        services.AddTelehealthAlerts();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
