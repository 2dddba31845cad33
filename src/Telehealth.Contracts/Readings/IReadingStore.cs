namespace Telehealth.Contracts.Readings;

/// <summary>
/// Time-series storage of vital-sign readings. Two implementations pass the same conformance tests:
/// the embedded SQLite store and InfluxDB 1.x over HTTP.
/// </summary>
public interface IReadingStore
{
    /// <summary>
    /// True when <see cref="AppendAsync"/> records new readings as due for evaluation in the same transaction that
    /// stores them (SQLite). When false (InfluxDB cannot share a transaction with the care record), the ingest
    /// pipeline queues every reading of a batch itself before acknowledging it, so a redelivered message queues
    /// again what a crash between the two writes left unqueued.
    /// </summary>
    bool QueuesEvaluation { get; }

    /// <summary>Creates tables or the database when missing. Safe to call more than once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the readings. A reading whose (DeviceId, Kind, DeviceTime) is already stored, or repeats
    /// earlier in the same batch, is not stored again (the first value stays). Returns the readings that were new, in
    /// input order, and those that repeated an identity with a different value (<see cref="ReadingAppendResult.Conflicts"/>).
    /// </summary>
    Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);

    /// <summary>Readings of one patient, oldest first, filtered by kind and device-time range (From inclusive, To exclusive).</summary>
    Task<IReadOnlyList<Reading>> QueryAsync(ReadingQuery query, CancellationToken cancellationToken = default);

    /// <summary>The most recent reading (by device time) of each kind the patient has.</summary>
    Task<IReadOnlyDictionary<VitalKind, Reading>> LatestByKindAsync(string patientId, CancellationToken cancellationToken = default);
}
