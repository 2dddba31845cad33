using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Telehealth.Bench.Scale;

/// <summary>
/// Whether PostgreSQL's autovacuum ran while a clock did, and on what: pg_stat_activity polled every 100 ms on its own
/// connection. Its work is no statement's (pages touched per reading do not show it), but its CPU is counted in
/// PostgreSQL's, and after the warm-up's and the clock's inserts its launcher finds most tables due.
/// </summary>
public sealed class AutovacuumWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private readonly SortedSet<string> _seen = new(StringComparer.Ordinal);
    private int _samples;
    private int _busySamples;

    private AutovacuumWatch(string connectionString)
    {
        _polling = PollAsync(connectionString, _stop.Token);
    }

    public static AutovacuumWatch Start(string connectionString) => new(connectionString);

    /// <summary>Stops polling; one line: the share of samples with a worker running, and what the workers did.</summary>
    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        await _polling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return _busySamples == 0
            ? string.Create(CultureInfo.InvariantCulture, $"no autovacuum worker in any of {_samples} samples (every 100 ms)")
            : string.Create(CultureInfo.InvariantCulture,
                $"an autovacuum worker in {_busySamples} of {_samples} samples (every 100 ms): {string.Join(", ", _seen)}");
    }

    private async Task PollAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(query, '') FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'", connection);
        var next = Stopwatch.StartNew();
        while (!cancellationToken.IsCancellationRequested)
        {
            var busy = false;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    busy = true;
                    // "autovacuum: VACUUM public.evaluation_seen", "autovacuum: VACUUM ANALYZE public.alerts", …
                    var what = reader.GetString(0).Replace("autovacuum: ", "", StringComparison.Ordinal).Replace("public.", "", StringComparison.Ordinal);
                    if (what.Length > 0)
                    {
                        _seen.Add(what);
                    }
                }
            }
            _samples++;
            _busySamples += busy ? 1 : 0;
            await Task.Delay(Interval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }
}
