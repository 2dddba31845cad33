using System.Globalization;

namespace Telehealth.Simulation.Caseload;

/// <summary>
/// Stable identifiers for simulated people: valid NHS numbers (modulus 11) in the range the NHS keeps for testing
/// (999 000 0000 – 999 999 9999, never issued to a real person). Each provisioning source has its own block
/// (the fourth digit), so the in-process demo and a device-sim run against the same platform can never match each
/// other's people: a person is found again by this number, never by a display name.
/// </summary>
public static class SyntheticNhsNumbers
{
    /// <summary>Block of the in-process demo caseload.</summary>
    public const int DemoBlock = 0;

    /// <summary>Block of device-sim provisioning over the HTTP API.</summary>
    public const int SimulatorBlock = 1;

    /// <summary>The <paramref name="number"/>-th (1-based) valid number of <paramref name="block"/> (0–9).</summary>
    public static string For(int block, int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(block, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(number, 1);
        var found = 0;
        for (var serial = 0; serial < 100_000; serial++)
        {
            var stem = string.Create(CultureInfo.InvariantCulture, $"999{block}{serial:00000}");
            if (CheckDigit(stem) is { } check && ++found == number)
            {
                return stem + check.ToString(CultureInfo.InvariantCulture);
            }
        }
        throw new ArgumentOutOfRangeException(nameof(number), number, "Too many people for one block.");
    }

    private static int? CheckDigit(string stem)
    {
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (stem[i] - '0') * (10 - i);
        }
        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => null, // no valid number with this stem
            _ => check,
        };
    }
}
