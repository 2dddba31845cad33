namespace Telehealth.Bench.Scale;

/// <summary>One row of the scale table. Met is null for a raw limit (nothing to meet); Bound says what bounds a missed target.</summary>
public sealed record ScaleFigure(string Figure, string Value, string RawLimit, string Ratio, string Target, bool? Met, string? Bound = null);
