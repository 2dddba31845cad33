using Telehealth.Contracts.Readings;

namespace Telehealth.Simulation.Scenarios;

/// <summary>
/// Pseudo-random numbers that depend only on their inputs, never on call order, so a reading at a given time is the
/// same however often or in whatever order it is asked for. string.GetHashCode is randomised per process, so ids are
/// hashed with FNV-1a and mixed with SplitMix64 instead.
/// </summary>
internal static class DeterministicNoise
{
    /// <summary>A standard normal value clamped to ±<paramref name="limit"/> so a stable person never looks unwell by chance.</summary>
    public static double ClampedGaussian(int seed, string deviceId, VitalKind kind, long scenarioMilliseconds, double limit)
    {
        var hash = Mix(Mix(Mix((ulong)(uint)seed, Hash(deviceId)), (ulong)kind + 1), (ulong)scenarioMilliseconds);
        var u1 = ToUnitInterval(hash);
        var u2 = ToUnitInterval(Mix(hash, 0x9E3779B97F4A7C15));
        var gaussian = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Math.Clamp(gaussian, -limit, limit);
    }

    /// <summary>A uniform value in [0, 1) for an id, e.g. to spread devices' publishing over an interval.</summary>
    public static double Uniform(int seed, string id) => ToUnitInterval(Mix((ulong)(uint)seed, Hash(id))) - double.Epsilon;

    private static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }

    private static ulong Mix(ulong state, ulong value)
    {
        var z = state + value + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    // (0, 1]: never 0, so Log(u) is finite.
    private static double ToUnitInterval(ulong value) => ((value >> 11) + 1) * (1.0 / (1UL << 53));
}
