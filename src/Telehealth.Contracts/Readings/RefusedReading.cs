namespace Telehealth.Contracts.Readings;

/// <summary>
/// A reading the store refused to hold (e.g. InfluxDB dropped it from a partial write: outside the retention policy,
/// a field type conflict), with the store's reason. It was not stored and must become a visible rejection, not a retry.
/// </summary>
public sealed record RefusedReading(Reading Reading, string Reason);
