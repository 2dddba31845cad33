namespace Telehealth.Contracts.Readings;

/// <summary>Readings of one interval: its start, the lowest, mean and highest value, and how many readings.</summary>
public sealed record ReadingBucket(DateTimeOffset Start, double Min, double Mean, double Max, long Count);
