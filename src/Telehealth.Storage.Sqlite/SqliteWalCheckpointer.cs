using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file off every writer's path, for a <see cref="SqliteDatabase"/> whose
/// commits do not (<see cref="SqliteDatabase.CheckpointsInBackground"/>). PASSIVE: it never waits for, nor blocks,
/// a reader or a writer, so it cannot delay an acknowledgement; what a reader still uses is copied on a later tick.
/// Durability is unchanged: a commit is in the WAL either way, and SQLite syncs the WAL before copying it.
/// </summary>
public sealed partial class SqliteWalCheckpointer(SqliteDatabase database, TimeProvider time, ILogger<SqliteWalCheckpointer> logger) : BackgroundService
{
    /// <summary>
    /// How often. At 5,000 readings/s the WAL grows by about 2 MB a second, so a tick copies a few hundred pages,
    /// close to the 1,000 at which SQLite itself would have checkpointed inside a commit.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>After each checkpoint the background loop made (tests wait on it; a metric could follow it).</summary>
    public event Action<SqliteCheckpointResult>? Checkpointed;

    /// <summary>One PASSIVE checkpoint: what the WAL held and how much of it is now in the database file.</summary>
    public async Task<SqliteCheckpointResult> CheckpointOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SqliteCheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    private PeriodicTimer? _timer;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Made here, not in ExecuteAsync (which .NET 10 starts on another thread): the first interval counts from start.
        _timer = database.CheckpointsInBackground ? new PeriodicTimer(Interval, time) : null;
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_timer is not { } timer)
        {
            return; // SQLite checkpoints inside commits for this database
        }
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var result = await CheckpointOnceAsync(stoppingToken);
                    Checkpointed?.Invoke(result);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The WAL keeps every commit until a later tick copies it: nothing is lost, the file only grows.
                    LogCheckpointFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint of the SQLite database failed; the next tick tries again")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
