namespace Telehealth.Gateway.Serial.Protocols;

/// <summary>What a decoder has seen so far: good frames, and what it threw away while resynchronising.</summary>
public sealed class DecoderStatistics
{
    /// <summary>Frames (or lines) that passed every check and became samples.</summary>
    public long FramesDecoded { get; internal set; }

    /// <summary>Frames (or lines) that were complete but failed a check (wrong trailer, unknown status, unparsable line).</summary>
    public long FramesRejected { get; internal set; }

    /// <summary>Bytes skipped to find the next sync: garbage, truncated frames, rejected frames.</summary>
    public long BytesDropped { get; internal set; }
}
