using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Tests.Alerts;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Alerts;
using Telehealth.Storage.Sqlite.Ingest;

using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Evaluation;

/// <summary>
/// The evaluation queue on the embedded engine (<see cref="EvaluationQueueConformance"/>), and the SQLite reading store
/// that queues readings in the transaction that stores them.
/// </summary>
[Trait("Hazard", "H2")]
public sealed class EvaluationQueueTests() : EvaluationQueueConformance(new SqliteStoreEngine())
{
    private SqliteReadingStore? _readingStore;

    private SqliteReadingStore Readings => _readingStore ?? throw new InvalidOperationException("Not initialised.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _readingStore = new SqliteReadingStore(Get<SqliteDatabase>(), Clock);
        await _readingStore.InitializeAsync();
    }

    [Fact]
    public async Task Storing_new_readings_queues_exactly_them_in_the_same_transaction_and_repeats_queue_nothing()
    {
        var first = Reading("pat-a", "dev-1", VitalKind.Spo2, 91, 0);
        var second = Reading("pat-a", "dev-1", VitalKind.HeartRate, 80, 0);

        await Readings.AppendAsync([first, second]);
        await Readings.AppendAsync([first, second, first]);

        var due = await Queue.ClaimAsync(100, Clock.GetUtcNow(), []);
        Assert.Equal([first, second], due.Select(item => item.Reading));
        Assert.Equal([DueItemKind.Reading, DueItemKind.Reading], due.Select(item => item.Kind));
        Assert.True(due[0].Sequence < due[1].Sequence);
        Assert.Equal((2, Start), await Queue.PendingAsync());
    }

}
