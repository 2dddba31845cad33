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
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage;

/// <summary>The one outbox on the embedded engine (<see cref="OutboxConformance"/>), and SQLite's migration 2 that made it.</summary>
public sealed class OutboxTests() : OutboxConformance(new SqliteStoreEngine())
{
    private readonly FakeTimeProvider _clock = new(T0);

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

    [Fact]
    public async Task A_FHIR_row_names_its_identifier_once_in_the_key_and_a_row_from_before_still_lists_with_it()
    {
        using var temp = new TempDatabase();
        var store = new SqliteOutbox(temp.Database, _clock);
        var fhir = new FhirOutbox(store);
        Assert.Equal(1, await fhir.EnqueueAsync([new FhirOutboxItem("pat-a", "Observation", "o1", "urn:test:observation", "dev-1|pat-a|1000|8867-4|72", "{\"v\":1}")]));
        // Queued before the header was narrowed: the identifier in the header as well as in the key.
        await SqliteTestSql.ExecuteAsync(temp.Database, """
            INSERT INTO outbox (kind, subject, message_key, header, payload, content_hash, status, next_attempt_at, created_at)
            VALUES ('fhir', 'pat-a', 'urn:test:alert' || char(31) || 'a1',
                    '{"resourceType":"Flag","resourceId":"f1","identifierSystem":"urn:test:alert","identifierValue":"a1"}', '{"v":2}', 'H2', 'pending', 0, 0);
            """);

        Assert.Equal([["{\"resourceType\":\"Observation\",\"resourceId\":\"o1\"}"]],
            await new SqliteProbe(temp.Database).RowsAsync("SELECT header FROM outbox WHERE seq = 1"));
        Assert.Equal(
            [
                ("Observation", "o1", "urn:test:observation", "dev-1|pat-a|1000|8867-4|72"),
                ("Flag", "f1", "urn:test:alert", "a1"),
            ],
            (await fhir.ListAsync(FhirOutboxStatus.Pending, 10)).Select(e => (e.ResourceType, e.ResourceId, e.IdentifierSystem, e.IdentifierValue)).ToArray());
        Assert.True(await fhir.ContainsAsync("urn:test:observation", "dev-1|pat-a|1000|8867-4|72"));
        // The same content again adds nothing: the key is unchanged, so is the dedupe.
        Assert.Equal(0, await fhir.EnqueueAsync([new FhirOutboxItem("pat-a", "Observation", "o1", "urn:test:observation", "dev-1|pat-a|1000|8867-4|72", "{\"v\":1}")]));
    }
}
