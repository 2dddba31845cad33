using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Telehealth.Storage;

namespace Telehealth.Gateway.Devices;

public sealed class SqliteDeviceRegistry(SqliteDatabase database, TimeProvider timeProvider) : IDeviceRegistry
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS devices (
            device_id TEXT PRIMARY KEY,
            patient_id TEXT NOT NULL,
            type TEXT NOT NULL,
            secret_salt BLOB NOT NULL,
            secret_hash BLOB NOT NULL,
            registered_at_ms INTEGER NOT NULL,
            last_seen_at_ms INTEGER NULL,
            battery_percent INTEGER NULL
        );
        CREATE INDEX IF NOT EXISTS ix_devices_patient ON devices(patient_id);
        """;

    private const string Columns = "device_id, patient_id, type, registered_at_ms, last_seen_at_ms, battery_percent";

    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        database.EnsureSchemaAsync(Schema, cancellationToken);

    public async Task<DeviceRegistration> RegisterAsync(string patientId, DeviceType type, CancellationToken cancellationToken = default)
    {
        var secret = DeviceSecrets.Generate();
        var salt = DeviceSecrets.NewSalt();
        var now = timeProvider.GetUtcNow();
        var record = new DeviceRecord(NewDeviceId(), patientId, type, now, null, null);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO devices (device_id, patient_id, type, secret_salt, secret_hash, registered_at_ms)
            VALUES ($id, $patient, $type, $salt, $hash, $at)
            """;
        command.Parameters.AddWithValue("$id", record.DeviceId);
        command.Parameters.AddWithValue("$patient", patientId);
        command.Parameters.AddWithValue("$type", type.WireName());
        command.Parameters.AddWithValue("$salt", salt);
        command.Parameters.AddWithValue("$hash", DeviceSecrets.Hash(secret, salt));
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new DeviceRegistration(record, secret);
    }

    public async Task<string?> RotateSecretAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        var secret = DeviceSecrets.Generate();
        var salt = DeviceSecrets.NewSalt();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE devices SET secret_salt = $salt, secret_hash = $hash WHERE device_id = $id";
        command.Parameters.AddWithValue("$id", deviceId);
        command.Parameters.AddWithValue("$salt", salt);
        command.Parameters.AddWithValue("$hash", DeviceSecrets.Hash(secret, salt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? secret : null;
    }

    public async Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM devices WHERE device_id = $id";
        command.Parameters.AddWithValue("$id", deviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<DeviceRecord?> AuthenticateAsync(string deviceId, string secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, secret_salt, secret_hash FROM devices WHERE device_id = $id";
        command.Parameters.AddWithValue("$id", deviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var salt = (byte[])reader["secret_salt"];
        var hash = (byte[])reader["secret_hash"];
        return DeviceSecrets.Verify(secret, salt, hash) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<DeviceRecord>> ListAsync(string? patientId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = patientId is null
            ? $"SELECT {Columns} FROM devices ORDER BY registered_at_ms, device_id"
            : $"SELECT {Columns} FROM devices WHERE patient_id = $patient ORDER BY registered_at_ms, device_id";
        if (patientId is not null)
        {
            command.Parameters.AddWithValue("$patient", patientId);
        }
        var devices = new List<DeviceRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            devices.Add(Read(reader));
        }
        return devices;
    }

    public async Task RecordHeartbeatAsync(string deviceId, DateTimeOffset seenAt, int? batteryPercent, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Keep the newest heartbeat only: a delayed, older status must not roll the device's state back.
        command.CommandText = """
            UPDATE devices SET
                battery_percent = CASE WHEN $battery IS NULL THEN battery_percent ELSE $battery END,
                last_seen_at_ms = $at
            WHERE device_id = $id AND (last_seen_at_ms IS NULL OR last_seen_at_ms <= $at)
            """;
        command.Parameters.AddWithValue("$id", deviceId);
        command.Parameters.AddWithValue("$at", SqliteTime.ToUnixMs(seenAt));
        command.Parameters.AddWithValue("$battery", (object?)batteryPercent ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DeviceRecord Read(SqliteDataReader reader)
    {
        DeviceTypes.TryParseWireName(reader.GetString(2), out var type);
        return new DeviceRecord(
            reader.GetString(0),
            reader.GetString(1),
            type,
            SqliteTime.FromUnixMs(reader.GetInt64(3)),
            reader.IsDBNull(4) ? null : SqliteTime.FromUnixMs(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : reader.GetInt32(5));
    }

    // Short, unambiguous ids (no 0/O, 1/l) are easier to read out over the telephone.
    private static string NewDeviceId()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return "dev-" + new string(chars);
    }
}
