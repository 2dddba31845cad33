namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// The socket's stream as MQTTnet sees it: every byte read passes through <see cref="MqttPacketGuard"/> first, and a
/// refused packet fails the read (<see cref="MqttPacketRefusedException"/>) before MQTTnet has seen its length.
/// Writes pass straight through.
/// </summary>
public sealed class PacketGuardStream(Stream inner, MqttPacketGuard guard) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfRefused();
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Check(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        ThrowIfRefused();
        var read = inner.Read(buffer);
        Check(buffer[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Check(ReadOnlySpan<byte> data)
    {
        if (guard.Inspect(data) != PacketGuardVerdict.Ok)
        {
            ThrowIfRefused();
        }
    }

    private void ThrowIfRefused()
    {
        if (guard.Verdict != PacketGuardVerdict.Ok)
        {
            throw new MqttPacketRefusedException(guard.Verdict, guard.DeclaredLength);
        }
    }
}
