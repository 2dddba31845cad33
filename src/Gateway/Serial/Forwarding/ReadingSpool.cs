using System.Text;
using System.Text.Json;

namespace Telehealth.Gateway.Serial.Forwarding;

/// <summary>
/// The bridge's store-and-forward queue on disk, one per device: <c>{deviceId}.spool.jsonl</c> holds one JSON line per
/// message (<c>{"seq":12,"topic":"…","payload":"…"}</c>), appended and fsync'd before anyone tries to send it;
/// <c>{deviceId}.acked</c> holds the highest sequence number the broker acknowledged, replaced atomically after each
/// PUBACK. When nothing is pending the spool file is emptied. A crash between a PUBACK and the acked file means one
/// resend, which the platform recognises (same device, kind and device time). A torn last line (power cut during a
/// write) is skipped and counted at open. <c>{deviceId}.lock</c> is held exclusively so two bridges cannot share a spool.
/// </summary>
public sealed class ReadingSpool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Queue<SpoolEntry> _pending = new();
    private readonly SemaphoreSlim _appended = new(0, 1);
    private readonly string _spoolPath;
    private readonly string _ackedPath;
    private readonly FileStream _lock;
    private FileStream _writer;
    private long _nextSequence;

    private ReadingSpool(string spoolPath, string ackedPath, FileStream lockFile, FileStream writer, IEnumerable<SpoolEntry> pending, long nextSequence, int unreadableLines)
    {
        _spoolPath = spoolPath;
        _ackedPath = ackedPath;
        _lock = lockFile;
        _writer = writer;
        foreach (var entry in pending)
        {
            _pending.Enqueue(entry);
        }
        _nextSequence = nextSequence;
        UnreadableLines = unreadableLines;
    }

    /// <summary>Lines found unreadable when the spool was opened (a torn last write).</summary>
    public int UnreadableLines { get; }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <exception cref="IOException">Another bridge holds this device's spool, or the folder cannot be written.</exception>
    public static ReadingSpool Open(string directory, string deviceId)
    {
        Directory.CreateDirectory(directory);
        var lockFile = new FileStream(Path.Combine(directory, deviceId + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        try
        {
            var spoolPath = Path.Combine(directory, deviceId + ".spool.jsonl");
            var ackedPath = Path.Combine(directory, deviceId + ".acked");
            var acked = File.Exists(ackedPath) && long.TryParse(File.ReadAllText(ackedPath).Trim(), out var a) ? a : 0;
            var pending = new List<SpoolEntry>();
            var unreadable = 0;
            var highest = acked;
            if (File.Exists(spoolPath))
            {
                foreach (var line in File.ReadLines(spoolPath))
                {
                    if (line.Length == 0)
                    {
                        continue;
                    }
                    if (TryParse(line) is not { } entry)
                    {
                        unreadable++;
                        continue;
                    }
                    highest = Math.Max(highest, entry.Sequence);
                    if (entry.Sequence > acked)
                    {
                        pending.Add(entry);
                    }
                }
            }
            // Rewrite what is still pending, so a torn line never gets a new line glued to it.
            var writer = Rewrite(spoolPath, pending);
            return new ReadingSpool(spoolPath, ackedPath, lockFile, writer, pending, highest + 1, unreadable);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Appends a message and makes it durable (fsync) before returning; then wakes the forwarder.</summary>
    public SpoolEntry Append(string topic, string payload)
    {
        lock (_gate)
        {
            var entry = new SpoolEntry(_nextSequence++, topic, payload);
            _writer.Write(Serialize(entry));
            _writer.Flush(flushToDisk: true);
            _pending.Enqueue(entry);
            if (_appended.CurrentCount == 0)
            {
                _appended.Release();
            }
            return entry;
        }
    }

    /// <summary>The oldest message not yet acknowledged, or null.</summary>
    public SpoolEntry? Peek()
    {
        lock (_gate)
        {
            return _pending.TryPeek(out var entry) ? entry : null;
        }
    }

    /// <summary>Waits until something is appended (or <paramref name="timeout"/> passes).</summary>
    public Task WaitForAppendAsync(TimeSpan timeout, CancellationToken cancellationToken) => _appended.WaitAsync(timeout, cancellationToken);

    /// <summary>Removes the oldest message after its PUBACK: records the sequence number durably, then drops it.</summary>
    public void Acknowledge(long sequence)
    {
        lock (_gate)
        {
            if (!_pending.TryPeek(out var head) || head.Sequence != sequence)
            {
                throw new InvalidOperationException($"Only the oldest pending message can be acknowledged (expected {head?.Sequence}, got {sequence}).");
            }
            var temporary = _ackedPath + ".tmp";
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Encoding.ASCII.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, _ackedPath, overwrite: true);
            _pending.Dequeue();
            if (_pending.Count == 0)
            {
                _writer.Dispose();
                _writer = Rewrite(_spoolPath, []);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
            _lock.Dispose();
            _appended.Dispose();
        }
    }

    private static FileStream Rewrite(string spoolPath, IReadOnlyList<SpoolEntry> entries)
    {
        var temporary = spoolPath + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            foreach (var entry in entries)
            {
                file.Write(Serialize(entry));
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, spoolPath, overwrite: true);
        return new FileStream(spoolPath, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    private static byte[] Serialize(SpoolEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", entry.Sequence);
            writer.WriteString("topic", entry.Topic);
            writer.WriteString("payload", entry.Payload);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static SpoolEntry? TryParse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new SpoolEntry(
                root.GetProperty("seq").GetInt64(),
                root.GetProperty("topic").GetString() ?? throw new FormatException("topic"),
                root.GetProperty("payload").GetString() ?? throw new FormatException("payload"));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
