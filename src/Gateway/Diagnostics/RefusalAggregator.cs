namespace Telehealth.Gateway.Diagnostics;

/// <summary>
/// Turns a flood of identical refusals (same source or device, same reason) into one report per window plus a count,
/// so an attacker repeating a bad connect a thousand times a second writes one log line and one rejection row, not a
/// thousand. Keys are bounded too: past <c>maxKeys</c> distinct keys (an attacker rotating IPv6 addresses), expired
/// windows are dropped and, if still full, new keys share one overflow key. Time comes from a <see cref="TimeProvider"/>.
/// </summary>
public sealed class RefusalAggregator(TimeProvider timeProvider, TimeSpan window, int maxKeys = 10_000)
{
    /// <summary>The key new refusals share once <c>maxKeys</c> distinct keys are live.</summary>
    public const string OverflowKey = "(many sources)";

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window));

    public RefusalTally Count(string key)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!_entries.ContainsKey(key) && _entries.Count >= maxKeys)
            {
                DropExpired(now);
                if (_entries.Count >= maxKeys)
                {
                    key = OverflowKey;
                }
            }
            if (_entries.TryGetValue(key, out var entry) && now - entry.WindowStart < Window)
            {
                entry.Suppressed++;
                return new RefusalTally(false, 0);
            }
            var suppressedBefore = entry?.Suppressed ?? 0;
            _entries[key] = new Entry { WindowStart = now };
            return new RefusalTally(true, suppressedBefore);
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (now - entry.WindowStart >= Window)
            {
                _entries.Remove(key);
            }
        }
    }

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; init; }

        public int Suppressed { get; set; }
    }
}
