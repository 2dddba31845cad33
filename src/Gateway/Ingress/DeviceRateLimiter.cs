using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Telehealth.Gateway.Ingress;

/// <summary>
/// One token bucket per device (<see cref="DeviceIngressOptions.MessagesPerSecond"/>, <see cref="DeviceIngressOptions.Burst"/>),
/// checked before anything is looked up or decoded, so a flooding device costs one dictionary lookup per message and the
/// other devices keep their share of the store. Refused messages are counted per device (never silently dropped).
/// Keys are device ids that passed authentication (embedded broker) or the broker's ACL (external broker).
/// </summary>
public sealed class DeviceRateLimiter(IOptions<DeviceIngressOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly double _rate = options.Value.MessagesPerSecond;
    private readonly double _burst = options.Value.Burst;

    /// <summary>Takes one token; false when the device is over its rate (the message is then refused as rate_limited).</summary>
    public bool TryAcquire(string deviceId)
    {
        var now = timeProvider.GetTimestamp();
        var bucket = _buckets.GetOrAdd(deviceId, _ => new Bucket(_burst, now));
        lock (bucket)
        {
            var elapsed = timeProvider.GetElapsedTime(bucket.Stamp, now).TotalSeconds;
            if (elapsed > 0)
            {
                bucket.Tokens = Math.Min(_burst, bucket.Tokens + elapsed * _rate);
                bucket.Stamp = now;
            }
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }
            bucket.Refused++;
            return false;
        }
    }

    /// <summary>Messages of this device refused for rate since the process started.</summary>
    public long RefusedCount(string deviceId) => _buckets.TryGetValue(deviceId, out var bucket) ? Interlocked.Read(ref bucket.Refused) : 0;

    private sealed class Bucket(double tokens, long stamp)
    {
        public double Tokens = tokens;
        public long Stamp = stamp;
        public long Refused;
    }
}
