using Npgsql;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>
/// The scaled deployment's engines start here as real local processes (no Docker engine on this machine): a
/// PostgreSQL that keeps a committed row, a Redis that answers the protocol.
/// </summary>
public sealed class EngineServerTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task PostgreSQL_keeps_a_committed_row_in_a_database_of_the_test_s_own()
    {
        var connectionString = await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName());
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE readings (id bigint PRIMARY KEY, value double precision NOT NULL); INSERT INTO readings VALUES (1, 97.5), (2, 88)", connection);
            Assert.Equal(2, await create.ExecuteNonQueryAsync());
        }
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT count(*), sum(value) FROM readings", connection);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal((2L, 185.5), (reader.GetInt64(0), reader.GetDouble(1)));
        }
    }

    [Fact]
    public async Task Redis_answers_PING_with_PONG()
    {
        Assert.True(await redis.PingAsync());
    }
}
