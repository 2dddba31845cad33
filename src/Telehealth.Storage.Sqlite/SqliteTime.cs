namespace Telehealth.Storage.Sqlite;

/// <summary>Times are stored as Unix milliseconds (UTC): sortable, exact, and the same precision the device API carries.</summary>
public static class SqliteTime
{
    public static long ToUnixMs(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
