namespace Telehealth.Gateway.Serial;

/// <summary>The port to read and how to survive it going away.</summary>
public sealed record SerialPortReaderOptions
{
    public required string Path { get; init; }
    public required SerialLineSettings Line { get; init; }

    /// <summary>Sent after each open (CMS50 v4.6 start command); empty for formats that stream by themselves.</summary>
    public byte[] OpenCommand { get; init; } = [];

    /// <summary>Sent every <see cref="KeepAliveInterval"/> while open (CMS50 v4.6); empty for none.</summary>
    public byte[] KeepAliveCommand { get; init; } = [];

    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>No byte for this long: check that the path still leads to the device that was opened (replugged, or gone).</summary>
    public TimeSpan SilenceCheck { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReopenInitialDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReopenMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest the read loop waits for Close; measured: Close with a read pending on a vanished pty hangs 8–30 s.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
