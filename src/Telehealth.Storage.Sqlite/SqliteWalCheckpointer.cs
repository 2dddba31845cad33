using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Telehealth.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file off every writer's path, for a <see cref="SqliteDatabase"/> whose
/// commits do not (<see cref="SqliteDatabase.CheckpointsInBackground"/>). PASSIVE: it never waits for, nor blocks,
/// a reader or a writer, so it cannot delay an acknowledgement; what a reader still uses is copied on a later tick.
/// Durability is unchanged: a commit is in the WAL either way, and SQLite syncs the WAL before copying it.
/// </summary>
/// <remarks>
/// PASSIVE alone let the WAL grow without bound under load (1.8 GB in a 35 s bench run): SQLite starts the WAL over
/// only when a writer begins after everything was copied and no reader still reads from the WAL, and with readers
/// and writers always at work that moment never came (SQLite's own checkpoint, inside a commit, had found it). So once
/// the WAL holds <see cref="TruncateAtFrames"/> pages, a tick takes the write turn and tries to truncate the WAL to
/// nothing, again every 10 ms for up to <see cref="TruncateWait"/> while readers of an older moment finish (new ones
/// read the database file; SQLite's own busy wait did not wait for them here, so the wait is ours). Writers wait for
/// that as for any other write turn; a tick that could not finish tries again next time.
/// </remarks>
public sealed partial class SqliteWalCheckpointer(SqliteDatabase database, TimeProvider time, ILogger<SqliteWalCheckpointer> logger) : BackgroundService
{
    /// <summary>
    /// How often. The WAL takes about 40 KB per reading (every page a commit touches, once per commit: bench/RESULTS.md),
    /// so at 5,000 readings/s a tick copies what a few hundred commits wrote.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>WAL pages (4 KB) from which a tick also truncates the WAL: 64 MB.</summary>
    public long TruncateAtFrames { get; init; } = 16_384;

    /// <summary>How long a truncation waits for readers before giving up until the next tick: 200 ms.</summary>
    public TimeSpan TruncateWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>An attempt to truncate found readers still in the WAL and is tried again (tests wait on it).</summary>
    public event Action<SqliteCheckpointResult>? TruncationWaiting;

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

    /// <summary>
    /// In the write turn, copies the whole WAL into the database file and truncates it, waiting up to
    /// <see cref="TruncateWait"/> for readers still reading from it; <see cref="SqliteCheckpointResult.Busy"/> when
    /// they did not finish in time (nothing is lost: the WAL stays as it was and a later call tries again).
    /// </summary>
    public async Task<SqliteCheckpointResult> TruncateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var turn = await database.WaitForWriteTurnAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Each attempt answers at once (no busy wait on this pooled connection, restored below); the wait for readers
        // is ours, so it is bounded whatever SQLite's busy handler would do.
        command.CommandText = "PRAGMA busy_timeout=0";
        await command.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            // Real time, not the service's clock: the wait is for real readers on the file.
            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                SqliteCheckpointResult result;
                await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    result = new SqliteCheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
                }
                if (!result.Busy || Stopwatch.GetElapsedTime(started) >= TruncateWait)
                {
                    return result;
                }
                TruncationWaiting?.Invoke(result);
                await Task.Delay(TruncateRetry, cancellationToken);
            }
        }
        finally
        {
            command.CommandText = $"PRAGMA busy_timeout={SqliteDatabase.BusyTimeoutMilliseconds}";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Between attempts of a truncation that readers kept from finishing.</summary>
    private static readonly TimeSpan TruncateRetry = TimeSpan.FromMilliseconds(10);

    /// <summary>After each truncation the background loop made.</summary>
    public event Action<SqliteCheckpointResult>? Truncated;

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
                    if (result.WalFrames >= TruncateAtFrames)
                    {
                        var truncated = await TruncateAsync(stoppingToken);
                        if (truncated.Busy)
                        {
                            LogTruncateBusy(logger, result.WalFrames);
                        }
                        Truncated?.Invoke(truncated);
                    }
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Readers kept the SQLite WAL ({Frames} pages) from being truncated; the next tick tries again")]
    private static partial void LogTruncateBusy(ILogger logger, long frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint of the SQLite database failed; the next tick tries again")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
