using System.Net;
using System.Net.Sockets;

namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// Per-source limits on the device edge, applied when a socket is accepted and before a byte is read: open
/// connections per source, connect attempts per source (a token bucket: <c>burst</c> at once, then
/// <c>attemptsPerSecond</c>), and open connections overall. A source is an IPv4 address or an IPv6 /64, since one
/// IPv6 host usually holds a whole /64. Idle sources are forgotten, so the table stays small.
/// </summary>
public sealed class SourceConnectionLimiter(
    TimeProvider timeProvider, int maxConnectionsPerSource, double attemptsPerSecond, int burst, int maxConnections)
{
    private readonly Dictionary<SourceKey, Bucket> _sources = [];
    private readonly Lock _lock = new();
    private int _open;

    public int OpenConnections
    {
        get
        {
            lock (_lock)
            {
                return _open;
            }
        }
    }

    public int TrackedSources
    {
        get
        {
            lock (_lock)
            {
                return _sources.Count;
            }
        }
    }

    public SourceAdmission TryAdmit(IPAddress address)
    {
        var key = SourceKey.Of(address);
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (!_sources.TryGetValue(key, out var bucket))
            {
                if (_sources.Count > 4 * maxConnections)
                {
                    ForgetIdle(now);
                }
                bucket = new Bucket { Tokens = burst, RefilledAt = now };
                _sources[key] = bucket;
            }
            Refill(bucket, now);
            if (bucket.Tokens < 1)
            {
                ForgetIfIdle(key, bucket);
                return SourceAdmission.TooManyAttempts;
            }
            bucket.Tokens -= 1;
            if (bucket.Open >= maxConnectionsPerSource || _open >= maxConnections)
            {
                return SourceAdmission.TooManyConnections;
            }
            bucket.Open++;
            _open++;
            return SourceAdmission.Admitted;
        }
    }

    /// <summary>Call once for every admitted connection when it closes.</summary>
    public void Release(IPAddress address)
    {
        var key = SourceKey.Of(address);
        var now = timeProvider.GetTimestamp();
        lock (_lock)
        {
            if (_sources.TryGetValue(key, out var bucket) && bucket.Open > 0)
            {
                bucket.Open--;
                _open--;
                Refill(bucket, now);
                ForgetIfIdle(key, bucket);
            }
        }
    }

    private void Refill(Bucket bucket, long now)
    {
        var elapsed = timeProvider.GetElapsedTime(bucket.RefilledAt, now).TotalSeconds;
        if (elapsed > 0)
        {
            bucket.Tokens = Math.Min(burst, bucket.Tokens + elapsed * attemptsPerSecond);
            bucket.RefilledAt = now;
        }
    }

    // A source with nothing open and a full bucket is indistinguishable from one never seen: drop it.
    private void ForgetIfIdle(SourceKey key, Bucket bucket)
    {
        if (bucket.Open == 0 && bucket.Tokens >= burst)
        {
            _sources.Remove(key);
        }
    }

    private void ForgetIdle(long now)
    {
        foreach (var (key, bucket) in _sources)
        {
            Refill(bucket, now);
            ForgetIfIdle(key, bucket);
        }
    }

    private sealed class Bucket
    {
        public int Open { get; set; }

        public double Tokens { get; set; }

        public long RefilledAt { get; set; }
    }

    private readonly record struct SourceKey(ulong High, ulong Low)
    {
        public static SourceKey Of(IPAddress address)
        {
            if (address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }
            Span<byte> bytes = stackalloc byte[16];
            if (address.AddressFamily == AddressFamily.InterNetwork)
            {
                address.TryWriteBytes(bytes, out _);
                return new SourceKey(0, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes));
            }
            address.TryWriteBytes(bytes, out _);
            // The /64 prefix: the rest of an IPv6 address is the host's to choose freely.
            return new SourceKey(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes), ulong.MaxValue);
        }
    }
}
