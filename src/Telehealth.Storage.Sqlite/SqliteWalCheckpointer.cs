using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telehealth.Contracts.Storage;

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
/// the WAL holds <see cref="RestartAtFrames"/> pages, a tick makes that moment: it copies what it can without the write
/// turn (PASSIVE, syncing the database file off every writer's path), then takes the turn and checkpoints in RESTART
/// mode, again every 10 ms for up to <see cref="RestartWait"/> while readers of an older moment finish (new ones read
/// the database file; SQLite's own busy wait did not wait for them here, so the wait is ours). The next writer then
/// writes the WAL from its start, and cuts the file back to <see cref="SqliteDatabase.WalSizeLimitBytes"/> if it grew
/// past it. Not TRUNCATE: cutting the file to nothing and syncing that held the turn for 50–90 ms a time, where the
/// RESTART after a PASSIVE copy holds it for the last commits' pages and one sync (bench/RESULTS.md).
/// </remarks>
public sealed partial class SqliteWalCheckpointer(SqliteDatabase database, TimeProvider time, ILogger<SqliteWalCheckpointer> logger) : BackgroundService
{
    /// <summary>
    /// How often. The WAL takes about 40 KB per reading (every page a commit touches, once per commit: bench/RESULTS.md),
    /// so at 5,000 readings/s a tick copies what a few hundred commits wrote.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>WAL pages (4 KB) from which a tick also starts the WAL over: 64 MB, the size the file is cut back to.</summary>
    public long RestartAtFrames { get; init; } = SqliteDatabase.WalSizeLimitBytes / 4096;

    /// <summary>How long a restart waits for readers before giving up until the next tick: 200 ms.</summary>
    public TimeSpan RestartWait { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>An attempt to restart found readers still in the WAL and is tried again (tests wait on it).</summary>
    public event Action<SqliteCheckpointResult>? RestartWaiting;

    /// <summary>After each checkpoint the background loop made (tests wait on it; a metric could follow it).</summary>
    public event Action<SqliteCheckpointResult>? Checkpointed;

    /// <summary>One PASSIVE checkpoint: what the WAL held and how much of it is now in the database file.</summary>
    public async Task<SqliteCheckpointResult> CheckpointOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await CheckpointAsync(connection, "PASSIVE", cancellationToken);
    }

    /// <summary>
    /// Copies the whole WAL into the database file so that the next writer starts it over, waiting up to
    /// <see cref="RestartWait"/> for readers still reading from it; <see cref="SqliteCheckpointResult.Busy"/> when
    /// they did not finish in time (nothing is lost: the WAL stays as it was and a later call tries again).
    /// </summary>
    public async Task<SqliteCheckpointResult> RestartAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // First without the turn: the copy and the database file's sync are most of the work, and PASSIVE blocks no one.
        await CheckpointAsync(connection, "PASSIVE", cancellationToken);
        IDisposable deferredTurn;
        using (WriteUrgency.Defer())
        {
            // Behind urgent writers (an ingest batch, an alert's commit): what it blocks them for is what matters.
            deferredTurn = await database.WaitForWriteTurnAsync(cancellationToken);
        }
        using var turn = deferredTurn;
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
                var result = await CheckpointAsync(connection, "RESTART", cancellationToken);
                if (!result.Busy || Stopwatch.GetElapsedTime(started) >= RestartWait)
                {
                    return result;
                }
                RestartWaiting?.Invoke(result);
                await Task.Delay(RestartRetry, cancellationToken);
            }
        }
        finally
        {
            command.CommandText = $"PRAGMA busy_timeout={SqliteDatabase.BusyTimeoutMilliseconds}";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task<SqliteCheckpointResult> CheckpointAsync(Microsoft.Data.Sqlite.SqliteConnection connection, string mode, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SqliteCheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Between attempts of a restart that readers kept from finishing.</summary>
    private static readonly TimeSpan RestartRetry = TimeSpan.FromMilliseconds(10);

    /// <summary>After each restart the background loop made.</summary>
    public event Action<SqliteCheckpointResult>? Restarted;

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
                    if (result.WalFrames >= RestartAtFrames)
                    {
                        var restarted = await RestartAsync(stoppingToken);
                        if (restarted.Busy)
                        {
                            LogRestartBusy(logger, result.WalFrames);
                        }
                        Restarted?.Invoke(restarted);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Readers kept the SQLite WAL ({Frames} pages) from being started over; the next tick tries again")]
    private static partial void LogRestartBusy(ILogger logger, long frames);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A WAL checkpoint of the SQLite database failed; the next tick tries again")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
