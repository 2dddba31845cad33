namespace Telehealth.Simulation.Serial;

/// <summary>Fault injection rates, each the chance (0–1) per frame.</summary>
public sealed record SerialFaults
{
    public static SerialFaults None { get; } = new();

    /// <summary>Flip one random bit of one byte of the frame.</summary>
    public double Corrupt { get; init; }

    /// <summary>Send only the start of the frame (at least one byte, never all of it).</summary>
    public double Truncate { get; init; }

    /// <summary>Send 1–8 random bytes before the frame.</summary>
    public double Garbage { get; init; }

    public bool Any => Corrupt > 0 || Truncate > 0 || Garbage > 0;
}
