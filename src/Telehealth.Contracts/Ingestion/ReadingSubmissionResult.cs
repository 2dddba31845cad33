using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Ingestion;

/// <summary>
/// What became of submitted readings once stored: how many were new, and which were refused because their identity
/// (DeviceId, Kind, DeviceTime) was already stored with a different value. Identical repeats are neither.
/// <see cref="Refused"/>: readings the store would not hold, each with the store's reason (not stored; not retried).
/// </summary>
public sealed record ReadingSubmissionResult(int Stored, IReadOnlyList<Reading> Conflicts)
{
    public static ReadingSubmissionResult Nothing { get; } = new(0, []);

    public IReadOnlyList<(Reading Reading, string Reason)> Refused { get; init; } = [];
}
