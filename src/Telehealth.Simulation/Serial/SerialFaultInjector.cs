namespace Telehealth.Simulation.Serial;

/// <summary>Damages frames as a noisy cable or a half-plugged connector would, reproducibly from a seed.</summary>
public sealed class SerialFaultInjector(SerialFaults faults, int seed)
{
    private readonly Random _random = new(seed);

    /// <summary>Frames damaged so far (any fault).</summary>
    public int Damaged { get; private set; }

    public byte[] Apply(byte[] frame)
    {
        if (!faults.Any)
        {
            return frame;
        }
        var damaged = false;
        var bytes = frame;
        if (_random.NextDouble() < faults.Corrupt)
        {
            bytes = (byte[])bytes.Clone();
            bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
            damaged = true;
        }
        if (bytes.Length > 1 && _random.NextDouble() < faults.Truncate)
        {
            bytes = bytes[..(1 + _random.Next(bytes.Length - 1))];
            damaged = true;
        }
        if (_random.NextDouble() < faults.Garbage)
        {
            var garbage = new byte[1 + _random.Next(8)];
            _random.NextBytes(garbage);
            bytes = [.. garbage, .. bytes];
            damaged = true;
        }
        if (damaged)
        {
            Damaged++;
        }
        return bytes;
    }
}
