using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// The outbox as a table in the platform's SQLite file. <c>seq</c> is AUTOINCREMENT so a number is never reused,
/// even after old rows go: the order of sending is the order of <c>seq</c>.
/// </summary>
public sealed class SqliteFhirOutbox : IFhirOutbox
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS fhir_outbox (
            seq               INTEGER PRIMARY KEY AUTOINCREMENT,
            patient_id        TEXT NOT NULL,
            resource_type     TEXT NOT NULL,
            resource_id       TEXT NOT NULL,
            identifier_system TEXT NOT NULL,
            identifier_value  TEXT NOT NULL,
            json              TEXT NOT NULL,
            content_hash      TEXT NOT NULL,
            status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
            attempts          INTEGER NOT NULL DEFAULT 0,
            last_status_code  INTEGER NULL,
            last_error        TEXT NULL,
            created_at        INTEGER NOT NULL,
            sent_at           INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_fhir_outbox_status_seq ON fhir_outbox(status, seq);
        CREATE INDEX IF NOT EXISTS ix_fhir_outbox_identifier ON fhir_outbox(identifier_system, identifier_value, seq);
        CREATE INDEX IF NOT EXISTS ix_fhir_outbox_patient ON fhir_outbox(patient_id, seq);
        """;

    private const string EntryColumns =
        "seq, patient_id, resource_type, resource_id, identifier_system, identifier_value, status, attempts, last_status_code, last_error, created_at, sent_at";

    /// <summary>Stored error text is capped: an OperationOutcome is small, an HTML error page need not be kept whole.</summary>
    private const int MaxErrorLength = 8000;

    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private readonly SemaphoreSlim _newEntries = new(0, 1);
    private volatile bool _schemaReady;

    public SqliteFhirOutbox(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<FhirOutboxItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return 0;
        }
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // One statement decides and appends, so two writers cannot both see "not there yet".
        command.CommandText = """
            INSERT INTO fhir_outbox (patient_id, resource_type, resource_id, identifier_system, identifier_value, json, content_hash, status, attempts, created_at)
            SELECT $patient, $type, $id, $system, $value, $json, $hash, 'pending', 0, $now
            WHERE NOT EXISTS (
                SELECT 1 FROM (
                    SELECT content_hash, status FROM fhir_outbox
                    WHERE identifier_system = $system AND identifier_value = $value
                    ORDER BY seq DESC LIMIT 1) AS newest
                WHERE newest.content_hash = $hash AND newest.status <> 'failed')
            """;
        var patient = command.Parameters.Add("$patient", SqliteType.Text);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var system = command.Parameters.Add("$system", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Text);
        var json = command.Parameters.Add("$json", SqliteType.Text);
        var hash = command.Parameters.Add("$hash", SqliteType.Text);
        command.Parameters.AddWithValue("$now", SqliteTime.ToUnixMs(_time.GetUtcNow()));
        var appended = 0;
        foreach (var item in items)
        {
            patient.Value = item.PatientId;
            type.Value = item.ResourceType;
            id.Value = item.ResourceId;
            system.Value = item.IdentifierSystem;
            value.Value = item.IdentifierValue;
            json.Value = item.Json;
            hash.Value = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(item.Json)));
            appended += await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        if (appended > 0)
        {
            Signal();
        }
        return appended;
    }

    public async Task<IReadOnlyList<PendingFhirWrite>> GetPendingAsync(int limit, IReadOnlyCollection<string> excludedPatients, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentNullException.ThrowIfNull(excludedPatients);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {EntryColumns}, json FROM fhir_outbox
            WHERE status = 'pending' AND patient_id NOT IN (SELECT value FROM json_each($excluded))
            ORDER BY seq LIMIT $limit
            """;
        command.Parameters.AddWithValue("$excluded", JsonSerializer.Serialize(excludedPatients));
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<PendingFhirWrite>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new PendingFhirWrite(ReadEntry(reader), reader.GetString(12)));
        }
        return pending;
    }

    public Task MarkSentAsync(long seq, int statusCode, int attempts, DateTimeOffset sentAt, CancellationToken cancellationToken = default) =>
        UpdateAsync(seq, FhirOutboxStatus.Sent, statusCode, error: null, attempts, sentAt, cancellationToken);

    public Task MarkFailedAsync(long seq, int statusCode, string error, int attempts, CancellationToken cancellationToken = default) =>
        UpdateAsync(seq, FhirOutboxStatus.Failed, statusCode, error, attempts, sentAt: null, cancellationToken);

    public Task RecordTransientFailureAsync(long seq, int? statusCode, string error, int attempts, CancellationToken cancellationToken = default) =>
        UpdateAsync(seq, FhirOutboxStatus.Pending, statusCode, error, attempts, sentAt: null, cancellationToken);

    public async Task<bool> ContainsAsync(string identifierSystem, string identifierValue, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM fhir_outbox WHERE identifier_system = $system AND identifier_value = $value)";
        command.Parameters.AddWithValue("$system", identifierSystem);
        command.Parameters.AddWithValue("$value", identifierValue);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task<FhirOutboxCounts> CountAsync(IReadOnlyCollection<string>? patientIds = null, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT status, COUNT(*) FROM fhir_outbox WHERE {PatientFilter(command, patientIds)} GROUP BY status";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        int pending = 0, sent = 0, failed = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var count = reader.GetInt32(1);
            switch (ParseStatus(reader.GetString(0)))
            {
                case FhirOutboxStatus.Pending: pending = count; break;
                case FhirOutboxStatus.Sent: sent = count; break;
                case FhirOutboxStatus.Failed: failed = count; break;
            }
        }
        return new FhirOutboxCounts(pending, sent, failed);
    }

    public async Task<IReadOnlyList<FhirOutboxEntry>> ListAsync(FhirOutboxStatus? status, int limit, IReadOnlyCollection<string>? patientIds = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var statusFilter = status is { } wanted ? "status = $status" : "1 = 1";
        if (status is { } s)
        {
            command.Parameters.AddWithValue("$status", StatusText(s));
        }
        var order = status == FhirOutboxStatus.Pending ? "ASC" : "DESC";
        command.CommandText = $"""
            SELECT {EntryColumns} FROM fhir_outbox
            WHERE {statusFilter} AND {PatientFilter(command, patientIds)}
            ORDER BY seq {order} LIMIT $limit
            """;
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<FhirOutboxEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader));
        }
        return entries;
    }

    public async Task WaitForNewEntriesAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _newEntries.WaitAsync(timeout, cancellationToken);

    private void Signal()
    {
        // At most one pending signal: the worker reads everything pending when it wakes.
        try
        {
            if (_newEntries.CurrentCount == 0)
            {
                _newEntries.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another writer signalled at the same moment; one wake-up is enough.
        }
    }

    private async Task UpdateAsync(long seq, FhirOutboxStatus status, int? statusCode, string? error, int attempts, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE fhir_outbox
            SET status = $status, attempts = attempts + $attempts, last_status_code = $code, last_error = $error, sent_at = $sent
            WHERE seq = $seq
            """;
        command.Parameters.AddWithValue("$status", StatusText(status));
        command.Parameters.AddWithValue("$attempts", attempts);
        command.Parameters.AddWithValue("$code", statusCode is { } code ? code : DBNull.Value);
        command.Parameters.AddWithValue("$error", error is null ? DBNull.Value : error.Length > MaxErrorLength ? error[..MaxErrorLength] : error);
        command.Parameters.AddWithValue("$sent", sentAt is { } at ? SqliteTime.ToUnixMs(at) : DBNull.Value);
        command.Parameters.AddWithValue("$seq", seq);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string PatientFilter(SqliteCommand command, IReadOnlyCollection<string>? patientIds)
    {
        if (patientIds is null)
        {
            return "1 = 1";
        }
        command.Parameters.AddWithValue("$patients", JsonSerializer.Serialize(patientIds));
        return "patient_id IN (SELECT value FROM json_each($patients))";
    }

    private static FhirOutboxEntry ReadEntry(SqliteDataReader reader) => new(
        Seq: reader.GetInt64(0),
        PatientId: reader.GetString(1),
        ResourceType: reader.GetString(2),
        ResourceId: reader.GetString(3),
        IdentifierSystem: reader.GetString(4),
        IdentifierValue: reader.GetString(5),
        Status: ParseStatus(reader.GetString(6)),
        Attempts: reader.GetInt32(7),
        LastStatusCode: reader.IsDBNull(8) ? null : reader.GetInt32(8),
        LastError: reader.IsDBNull(9) ? null : reader.GetString(9),
        CreatedAt: SqliteTime.FromUnixMs(reader.GetInt64(10)),
        SentAt: reader.IsDBNull(11) ? null : SqliteTime.FromUnixMs(reader.GetInt64(11)));

    private static string StatusText(FhirOutboxStatus status) => status switch
    {
        FhirOutboxStatus.Pending => "pending",
        FhirOutboxStatus.Sent => "sent",
        FhirOutboxStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static FhirOutboxStatus ParseStatus(string text) => text switch
    {
        "pending" => FhirOutboxStatus.Pending,
        "sent" => FhirOutboxStatus.Sent,
        "failed" => FhirOutboxStatus.Failed,
        _ => throw new InvalidDataException($"Unknown outbox status '{text}'."),
    };

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await _database.EnsureSchemaAsync(Schema, cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
