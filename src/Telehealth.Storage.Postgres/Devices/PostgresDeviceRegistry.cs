using Telehealth.Contracts.Devices;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Telehealth.CareRecord.Devices;
using Telehealth.Storage.Postgres;

namespace Telehealth.Storage.Postgres.Devices;

public sealed class PostgresDeviceRegistry(PostgresDatabase database, TimeProvider timeProvider, DeviceAccessChanges accessChanges) : IDeviceRegistry
{
    private const string Columns = """
        device_id, patient_id, type, registered_at_ms, last_seen_at_ms, battery_percent,
        assigned, revoked_at_ms, model, serial_number, firmware, clock_offset_ms, provisioned_by
        """;

    public async Task<DeviceRegistration> RegisterAsync(
        string patientId, DeviceType type, DeviceDetails? details = null, string? provisionedBy = null, CancellationToken cancellationToken = default)
    {
        var secret = DeviceSecrets.Generate();
        var salt = DeviceSecrets.NewSalt();
        var now = timeProvider.GetUtcNow();
        details = Clean(details ?? DeviceDetails.None);
        var record = new DeviceRecord(NewDeviceId(), patientId, type, now, null, null) { Details = details, ProvisionedBy = provisionedBy };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO devices (device_id, patient_id, type, secret_salt, secret_hash, registered_at_ms,
                                     model, serial_number, firmware, provisioned_by, broker_hash, nats_hash)
                VALUES (@id, @patient, @type, @salt, @hash, @at, @model, @serial, @firmware, @by, @broker, @nats)
                """;
            command.Parameters.AddWithValue("@id", record.DeviceId);
            command.Parameters.AddWithValue("@patient", patientId);
            command.Parameters.AddWithValue("@type", type.WireName());
            command.Parameters.AddWithValue("@salt", salt);
            command.Parameters.AddWithValue("@hash", DeviceSecrets.Hash(secret, salt));
            command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(now));
            command.Parameters.AddWithValue("@model", (object?)details.Model ?? DBNull.Value);
            command.Parameters.AddWithValue("@serial", (object?)details.SerialNumber ?? DBNull.Value);
            command.Parameters.AddWithValue("@firmware", (object?)details.Firmware ?? DBNull.Value);
            command.Parameters.AddWithValue("@by", (object?)provisionedBy ?? DBNull.Value);
            command.Parameters.AddWithValue("@broker", MosquittoPasswordHash.Create(secret));
            command.Parameters.AddWithValue("@nats", NatsPasswordHash.Create(secret));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await OpenAssignmentAsync(connection, transaction, record.DeviceId, patientId, from: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        accessChanges.Notify(record.DeviceId, DeviceAccessChange.Registered);
        return new DeviceRegistration(record, secret);
    }

    public async Task<string?> RotateSecretAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        var secret = DeviceSecrets.Generate();
        var salt = DeviceSecrets.NewSalt();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE devices SET secret_salt = @salt, secret_hash = @hash, broker_hash = @broker, nats_hash = @nats
            WHERE device_id = @id AND revoked_at_ms IS NULL
            """;
        command.Parameters.AddWithValue("@id", deviceId);
        command.Parameters.AddWithValue("@salt", salt);
        command.Parameters.AddWithValue("@hash", DeviceSecrets.Hash(secret, salt));
        command.Parameters.AddWithValue("@broker", MosquittoPasswordHash.Create(secret));
        command.Parameters.AddWithValue("@nats", NatsPasswordHash.Create(secret));
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return null;
        }
        accessChanges.Notify(deviceId, DeviceAccessChange.SecretRotated);
        return secret;
    }

    public async Task<DeviceChangeResult> RevokeAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // The hashes are overwritten too, so no secret (old or current) can ever match again.
        command.CommandText = """
            UPDATE devices SET revoked_at_ms = @at, secret_hash = decode(repeat('00', 32), 'hex'), broker_hash = NULL, nats_hash = NULL
            WHERE device_id = @id AND revoked_at_ms IS NULL
            """;
        command.Parameters.AddWithValue("@id", deviceId);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(timeProvider.GetUtcNow()));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            accessChanges.Notify(deviceId, DeviceAccessChange.Revoked);
            return DeviceChangeResult.Done;
        }
        return await ExistsAsync(connection, deviceId, cancellationToken) ? DeviceChangeResult.NoChange : DeviceChangeResult.UnknownDevice;
    }

    public async Task<DeviceChangeResult> AssignAsync(string deviceId, string patientId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var device = await GetAsync(connection, transaction, deviceId, cancellationToken);
        if (device is null)
        {
            return DeviceChangeResult.UnknownDevice;
        }
        if (device.IsRevoked)
        {
            return DeviceChangeResult.Revoked;
        }
        if (device.IsAssigned && device.PatientId == patientId)
        {
            return DeviceChangeResult.NoChange;
        }
        await CloseAssignmentAsync(connection, transaction, deviceId, now, cancellationToken);
        await OpenAssignmentAsync(connection, transaction, deviceId, patientId, now, cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE devices SET patient_id = @patient, assigned = true WHERE device_id = @id";
            command.Parameters.AddWithValue("@id", deviceId);
            command.Parameters.AddWithValue("@patient", patientId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        accessChanges.Notify(deviceId, DeviceAccessChange.Assigned);
        return DeviceChangeResult.Done;
    }

    public async Task<DeviceChangeResult> RetrieveAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var device = await GetAsync(connection, transaction, deviceId, cancellationToken);
        if (device is null)
        {
            return DeviceChangeResult.UnknownDevice;
        }
        if (!device.IsAssigned)
        {
            return DeviceChangeResult.NoChange;
        }
        await CloseAssignmentAsync(connection, transaction, deviceId, now, cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE devices SET assigned = false WHERE device_id = @id";
            command.Parameters.AddWithValue("@id", deviceId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        accessChanges.Notify(deviceId, DeviceAccessChange.Retrieved);
        return DeviceChangeResult.Done;
    }

    public async Task<DeviceAssignments> GetAssignmentsAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // NULL (open) starts first; rowid breaks ties in the order they were made.
        command.CommandText = """
            SELECT patient_id, from_ms, to_ms FROM device_assignments
            WHERE device_id = @id ORDER BY from_ms IS NOT NULL, from_ms, id
            """;
        command.Parameters.AddWithValue("@id", deviceId);
        var periods = new List<DeviceAssignment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            periods.Add(new DeviceAssignment(deviceId, reader.GetString(0),
                reader.IsDBNull(1) ? null : PostgresTime.FromUnixMs(reader.GetInt64(1)),
                reader.IsDBNull(2) ? null : PostgresTime.FromUnixMs(reader.GetInt64(2))));
        }
        return new DeviceAssignments(periods);
    }

    public async Task<bool> UpdateDetailsAsync(string deviceId, DeviceDetails details, CancellationToken cancellationToken = default)
    {
        details = Clean(details);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE devices SET model = COALESCE(@model::text, model), serial_number = COALESCE(@serial::text, serial_number),
                               firmware = COALESCE(@firmware::text, firmware)
            WHERE device_id = @id
            """;
        command.Parameters.AddWithValue("@id", deviceId);
        command.Parameters.AddWithValue("@model", (object?)details.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("@serial", (object?)details.SerialNumber ?? DBNull.Value);
        command.Parameters.AddWithValue("@firmware", (object?)details.Firmware ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<DeviceRecord?> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, null, deviceId, cancellationToken);
    }

    public async Task<DeviceRecord?> AuthenticateAsync(string deviceId, string secret, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, secret_salt, secret_hash FROM devices WHERE device_id = @id";
        command.Parameters.AddWithValue("@id", deviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var salt = (byte[])reader["secret_salt"];
        var hash = (byte[])reader["secret_hash"];
        var device = Read(reader);
        return !device.IsRevoked && DeviceSecrets.Verify(secret, salt, hash) ? device : null;
    }

    public async Task<IReadOnlyList<DeviceRecord>> ListAsync(string? patientId = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = patientId is null
            ? $"SELECT {Columns} FROM devices ORDER BY registered_at_ms, device_id"
            : $"SELECT {Columns} FROM devices WHERE patient_id = @patient ORDER BY registered_at_ms, device_id";
        if (patientId is not null)
        {
            command.Parameters.AddWithValue("@patient", patientId);
        }
        return await ReadDevicesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<DeviceRecord>> ListForTeamAsync(string teamId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM devices WHERE patient_id IN (SELECT id FROM patients WHERE team_id = @team) ORDER BY registered_at_ms, device_id";
        command.Parameters.AddWithValue("@team", teamId);
        return await ReadDevicesAsync(command, cancellationToken);
    }

    private async Task<IReadOnlyList<DeviceRecord>> ReadDevicesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var devices = new List<DeviceRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            devices.Add(Read(reader));
        }
        return devices;
    }

    public async Task RecordHeartbeatAsync(string deviceId, DeviceHeartbeat heartbeat, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Keep the newest heartbeat only: a delayed, older status must not roll the device's state back.
        command.CommandText = """
            UPDATE devices SET
                battery_percent = COALESCE(@battery::integer, battery_percent),
                firmware = COALESCE(@firmware::text, firmware),
                clock_offset_ms = COALESCE(@offset::bigint, clock_offset_ms),
                last_seen_at_ms = @at
            WHERE device_id = @id AND (last_seen_at_ms IS NULL OR last_seen_at_ms <= @at)
            """;
        command.Parameters.AddWithValue("@id", deviceId);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(heartbeat.SeenAt));
        command.Parameters.AddWithValue("@battery", (object?)heartbeat.BatteryPercent ?? DBNull.Value);
        command.Parameters.AddWithValue("@firmware", (object?)Clip(heartbeat.Firmware) ?? DBNull.Value);
        command.Parameters.AddWithValue("@offset", heartbeat.ClockOffset is { } offset ? (long)offset.TotalMilliseconds : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BrokerAccount>> ListBrokerAccountsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT device_id, broker_hash, nats_hash FROM devices
            WHERE revoked_at_ms IS NULL AND broker_hash IS NOT NULL ORDER BY device_id
            """;
        var accounts = new List<BrokerAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new BrokerAccount(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return accounts;
    }

    private static async Task<DeviceRecord?> GetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string deviceId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM devices WHERE device_id = @id";
        command.Parameters.AddWithValue("@id", deviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string deviceId, CancellationToken cancellationToken) =>
        await GetAsync(connection, null, deviceId, cancellationToken) is not null;

    private static async Task OpenAssignmentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string deviceId, string patientId, DateTimeOffset? from, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO device_assignments (device_id, patient_id, from_ms, to_ms) VALUES (@id, @patient, @from, NULL)";
        command.Parameters.AddWithValue("@id", deviceId);
        command.Parameters.AddWithValue("@patient", patientId);
        command.Parameters.AddWithValue("@from", from is { } at ? PostgresTime.ToUnixMs(at) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CloseAssignmentAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string deviceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE device_assignments SET to_ms = @at WHERE device_id = @id AND to_ms IS NULL";
        command.Parameters.AddWithValue("@id", deviceId);
        command.Parameters.AddWithValue("@at", PostgresTime.ToUnixMs(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DeviceRecord Read(NpgsqlDataReader reader)
    {
        DeviceTypes.TryParseWireName(reader.GetString(2), out var type);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new DeviceRecord(
            reader.GetString(0),
            reader.GetString(1),
            type,
            PostgresTime.FromUnixMs(reader.GetInt64(3)),
            reader.IsDBNull(4) ? null : PostgresTime.FromUnixMs(reader.GetInt64(4)),
            reader.IsDBNull(5) ? null : reader.GetInt32(5))
        {
            IsAssigned = reader.GetBoolean(6),
            RevokedAt = reader.IsDBNull(7) ? null : PostgresTime.FromUnixMs(reader.GetInt64(7)),
            Details = new DeviceDetails(Text(8), Text(9), Text(10)),
            ClockOffset = reader.IsDBNull(11) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(11)),
            ProvisionedBy = Text(12),
        };
    }

    private static DeviceDetails Clean(DeviceDetails details) =>
        new(Clip(details.Model), Clip(details.SerialNumber), Clip(details.Firmware));

    // Free text from staff or a device: trimmed, control characters removed, cut to a bounded length.
    private static string? Clip(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var clean = new string(text.Trim().Where(c => !char.IsControl(c)).ToArray());
        return clean.Length <= DeviceDetails.MaxLength ? clean : clean[..DeviceDetails.MaxLength];
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
