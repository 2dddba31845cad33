using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord;
using Telehealth.Clinician.Web.Hosting;
using Telehealth.Fhir.Outbox;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Outbox;
using Telehealth.Storage.Sqlite.Migrations;
using Telehealth.Storage.Sqlite.Outbox;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Storage;

/// <summary>The one SQLite outbox under both adapters: kinds kept apart, rows moved by migration 2, delivered rows swept.</summary>
public sealed class OutboxTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);
    private readonly TempDatabase _temp = new();
    private readonly SqliteOutbox _store;
    private readonly FhirOutbox _fhir;
    private readonly NotificationOutbox _notifications;

    public OutboxTests()
    {
        _store = new SqliteOutbox(_temp.Database, _clock);
        _fhir = new FhirOutbox(_store);
        _notifications = new NotificationOutbox(_store);
    }

    public void Dispose() => _temp.Dispose();

    private static FhirOutboxItem Flag(string patient, string id, string json) =>
        new(patient, "Flag", id, "urn:test:alert", id, json);

    private static NotificationRequest Request(string recipient, Guid alert, string address) =>
        new(new Notification(
            Key: $"{alert:N}:0:{recipient}", AlertId: alert, IncidentId: null, PatientRef: "pat-n", TeamId: "team-a",
            Severity: AlertSeverity.Critical, Condition: "news2", Code: "news2_emergency", Recipient: recipient, RecipientKind: "staff", Step: 0,
            Reason: "Raised", RaisedAt: T0, RespondBy: T0.AddMinutes(30), AlertUrl: null, CreatedAt: T0), "email", address);

    [Fact]
    public async Task Delivered_messages_are_swept_after_the_retention_and_pending_and_failed_ones_stay()
    {
        var alert = Guid.NewGuid();
        await _fhir.EnqueueAsync([Flag("pat-a", "a1", "1"), Flag("pat-a", "a2", "2"), Flag("pat-b", "b1", "3"), Flag("pat-b", "b2", "4"), Flag("pat-c", "c1", "5")]);
        await _notifications.EnqueueAsync([Request("nurse.a", alert, "a@example.org"), Request("nurse.b", alert, "b@example.org"), Request("lead", alert, "l@example.org")]);
        var fhir = await _fhir.GetPendingAsync(10, []);
        var notes = await _notifications.PendingAsync(10);
        _clock.Advance(TimeSpan.FromHours(1));
        await _fhir.MarkSentAsync(fhir[0].Entry.Seq, 201, 1, _clock.GetUtcNow());
        await _fhir.MarkSentAsync(fhir[1].Entry.Seq, 200, 2, _clock.GetUtcNow());
        await _fhir.MarkFailedAsync(fhir[2].Entry.Seq, 422, "{}", 1);
        _clock.Advance(TimeSpan.FromHours(1));
        await _notifications.RecordPassAsync(notes[0].Seq, NotificationStatus.Sent, 1, 250, null, _clock.GetUtcNow(), _clock.GetUtcNow());
        await _notifications.RecordPassAsync(notes[1].Seq, NotificationStatus.Failed, 1, 550, "no such mailbox", _clock.GetUtcNow(), _clock.GetUtcNow());
        var sweeper = new OutboxRetentionSweeper(_store, Options.Create(new StorageOptions()), _clock, NullLogger<OutboxRetentionSweeper>.Instance);

        // Seven days after the first two were delivered: not yet (retention is "older than").
        _clock.SetUtcNow(T0.AddHours(1).AddDays(7));
        Assert.Equal(0, await sweeper.SweepOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal(new FhirOutboxCounts(2, 0, 1), await _fhir.CountAsync());
        Assert.Equal(2, (await _notifications.ListAsync(null, 10)).Count(e => e.Status != NotificationStatus.Failed));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal([NotificationStatus.Pending, NotificationStatus.Failed], (await _notifications.ListAsync(null, 10)).Select(e => e.Status).ToArray());
        Assert.Equal(new FhirOutboxCounts(2, 0, 1), await _fhir.CountAsync());

        _clock.Advance(TimeSpan.FromDays(365));
        Assert.Equal(0, await sweeper.SweepOnceAsync(CancellationToken.None));
        Assert.Equal(["4", "5"], (await _fhir.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
    }

    [Fact]
    public async Task The_two_kinds_share_one_table_and_never_see_each_other()
    {
        var alert = Guid.NewGuid();
        await _fhir.EnqueueAsync([Flag("pat-n", "x1", "fhir")]);
        await _notifications.EnqueueAsync([Request("nurse.a", alert, "a@example.org")]);

        Assert.Equal(2L, await SqliteTestSql.ScalarAsync(_temp.Database, "SELECT COUNT(*) FROM outbox"));
        Assert.Equal(["fhir"], (await _fhir.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
        Assert.Equal(["nurse.a"], (await _notifications.PendingAsync(10)).Select(e => e.Notification.Recipient).ToArray());
        Assert.Equal(new FhirOutboxCounts(1, 0, 0), await _fhir.CountAsync());
        // Queued again (a follower replaying the log): nothing added to either.
        Assert.Equal(0, await _fhir.EnqueueAsync([Flag("pat-n", "x1", "fhir")]));
        Assert.Equal(0, await _notifications.EnqueueAsync([Request("nurse.a", alert, "a@example.org")]));
    }

    [Fact]
    public async Task Migration_2_moves_every_FHIR_and_notification_row_into_the_one_outbox_as_it_was()
    {
        using var old = new TempDatabase(migrate: false);
        await new SqliteMigrator(old.Database, _clock, [SqliteMigrations.All[0]]).MigrateAsync();
        var alert = Guid.Parse("6f1c1c55-3b5e-4f4e-9d57-1e2d7e3a9b10");
        var payload = System.Text.Json.JsonSerializer.Serialize(Request("nurse.a", alert, "a@example.org").Notification, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        await SqliteTestSql.ExecuteAsync(old.Database, $$"""
            INSERT INTO fhir_outbox (patient_id, resource_type, resource_id, identifier_system, identifier_value, json, content_hash, status, attempts, last_status_code, last_error, created_at, sent_at)
            VALUES ('pat-a', 'Flag', 'f1', 'urn:test:alert', 'a1', '{"v":1}', 'H1', 'sent', 2, 201, NULL, 1000, 2000),
                   ('pat-a', 'Flag', 'f1', 'urn:test:alert', 'a1', '{"v":2}', 'H2', 'pending', 1, 503, 'busy', 3000, NULL);
            INSERT INTO notification_outbox (notification_key, alert_id, patient_id, recipient, channel, address, payload, status, passes, attempts, recorded_passes, last_status_code, last_error, next_attempt_at, created_at, completed_at)
            VALUES ('{{alert:N}}:0:nurse.a', '{{alert}}', 'pat-n', 'nurse.a', 'email', 'a@example.org', '{{payload}}', 'failed', 2, 5, 1, 550, 'no such mailbox', 9000, 4000, 8000);
            """);

        await new SqliteMigrator(old.Database, _clock).MigrateAsync();

        var store = new SqliteOutbox(old.Database, _clock);
        var fhir = new FhirOutbox(store);
        Assert.Equal(
            [
                new FhirOutboxEntry(2, "pat-a", "Flag", "f1", "urn:test:alert", "a1", FhirOutboxStatus.Pending, 1, 503, "busy", DateTimeOffset.FromUnixTimeMilliseconds(3000), null),
                new FhirOutboxEntry(1, "pat-a", "Flag", "f1", "urn:test:alert", "a1", FhirOutboxStatus.Sent, 2, 201, null, DateTimeOffset.FromUnixTimeMilliseconds(1000), DateTimeOffset.FromUnixTimeMilliseconds(2000)),
            ],
            await fhir.ListAsync(null, 10));
        Assert.Equal(["{\"v\":2}"], (await fhir.GetPendingAsync(10, [])).Select(p => p.Json).ToArray());
        Assert.True(await fhir.ContainsAsync("urn:test:alert", "a1"));
        var moved = Assert.Single(await new NotificationOutbox(store).ForAlertAsync(alert));
        Assert.Equal(
            (3L, "email", "a@example.org", NotificationStatus.Failed, 2, 5, 1, (int?)550, "no such mailbox", 9000L, 4000L, (long?)8000L, "nurse.a"),
            (moved.Seq, moved.Channel, moved.Address, moved.Status, moved.Passes, moved.Attempts, moved.RecordedPasses, moved.LastStatusCode, moved.LastError,
             moved.NextAttemptAt.ToUnixTimeMilliseconds(), moved.CreatedAt.ToUnixTimeMilliseconds(), moved.CompletedAt?.ToUnixTimeMilliseconds(), moved.Notification.Recipient));
        // Queueing the moved notification again adds nothing: its key survived the move.
        Assert.Equal(0, await new NotificationOutbox(store).EnqueueAsync([Request("nurse.a", alert, "a@example.org")]));
        Assert.Equal(0L, await SqliteTestSql.ScalarAsync(old.Database, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('fhir_outbox', 'notification_outbox')"));
    }
}
