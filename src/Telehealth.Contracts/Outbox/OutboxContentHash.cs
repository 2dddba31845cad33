using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Telehealth.Contracts.Outbox;

/// <summary>
/// The content hash a store keeps beside each message (<see cref="OutboxDedupe.UnlessNewestIsSame"/> compares it):
/// SHA-256 of the payload's UTF-8, upper-case hex. Both engines use this one definition, so a care record moved from
/// one engine to the other dedupes the same way. The UTF-8 goes through a pooled buffer: every reading's Observation is
/// hashed.
/// </summary>
public static class OutboxContentHash
{
    public static string Of(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(payload.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(payload, buffer);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            return Convert.ToHexString(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
