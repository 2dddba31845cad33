namespace Telehealth.Contracts.Readings;

/// <summary>Inclusive bounds, in the canonical unit, outside which a value cannot be a real measurement.</summary>
public readonly record struct PlausibleRange(double Min, double Max)
{
    /// <summary>False for NaN too, so a value that is not a number never passes.</summary>
    public bool Contains(double value) => value >= Min && value <= Max;
}
