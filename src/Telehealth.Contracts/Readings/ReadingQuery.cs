namespace Telehealth.Contracts.Readings;

/// <param name="From">Inclusive lower bound on device time.</param>
/// <param name="To">Exclusive upper bound on device time.</param>
/// <param name="Limit">Most readings returned; the oldest are returned first.</param>
public sealed record ReadingQuery(
    string PatientId,
    VitalKind? Kind = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 10_000);
