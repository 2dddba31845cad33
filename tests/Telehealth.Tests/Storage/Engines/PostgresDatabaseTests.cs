using Telehealth.Storage.Postgres;

namespace Telehealth.Tests.Storage.Engines;

/// <summary>How many connections an instance may open: the connection string's, or a default that two instances fit under PostgreSQL's own limit.</summary>
public sealed class PostgresDatabaseTests
{
    [Theory]
    [InlineData("Host=db;Database=telehealth;Username=telehealth", PostgresDatabase.DefaultMaxPoolSize)]
    [InlineData("Host=db;Database=telehealth;Maximum Pool Size=5", 5)]
    [InlineData("Host=db;Database=telehealth;maximum pool size=7", 7)]
    [InlineData("Host=db;Database=telehealth;Maximum Pool Size=120", 120)]
    public void The_pool_is_capped_at_the_default_unless_the_connection_string_says_otherwise(string connectionString, int expected)
    {
        using var database = new PostgresDatabase(connectionString);

        Assert.Equal(expected, database.MaxPoolSize);
        Assert.Equal(4, PostgresDatabase.DefaultMaxPoolSize);
    }
}
