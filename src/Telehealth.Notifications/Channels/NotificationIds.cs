using System.Security.Cryptography;
using System.Text;

namespace Telehealth.Notifications.Channels;

/// <summary>Turns an idempotency key into a stable id (the same key gives the same id on every retry and restart).</summary>
public static class NotificationIds
{
    public static Guid FromKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("telehealth-notification:" + key));
        return new Guid(hash.AsSpan(0, 16));
    }
}
