namespace Telehealth.Storage.Postgres;

/// <summary>
/// Times are stored as Unix milliseconds (UTC, <c>bigint</c>), as in the SQLite engine: exact, sortable, the device
/// API's precision, and one conversion for both engines (timestamptz would round-trip microseconds the domain never has).
/// </summary>
public static class PostgresTime
{
    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
