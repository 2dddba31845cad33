namespace Telehealth.Contracts.Readings;

/// <summary>
/// Time-series storage of vital-sign readings. Two implementations pass the same conformance tests:
/// the embedded SQLite store and InfluxDB (1.x or 2.x) over HTTP.
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

    /// <summary>
    /// As <see cref="AppendAsync(IReadOnlyList{Reading}, CancellationToken)"/>, told by the care record which readings
    /// no acknowledged delivery ever brought (<see cref="Evaluation.IReadingAdmission.NeverAcknowledged"/>, by index in
    /// <paramref name="readings"/>): a store that has to ask whether a reading is stored already may skip asking about
    /// those and write them, replacing only what a never-acknowledged delivery left. The default ignores the hint.
    /// </summary>
    Task<ReadingAppendResult> AppendAsync(IReadOnlyList<Reading> readings, Func<int, bool> neverAcknowledged, CancellationToken cancellationToken = default) =>
        AppendAsync(readings, cancellationToken);

    /// <summary>Readings of one patient, oldest first, filtered by kind and device-time range (From inclusive, To exclusive).</summary>
    Task<IReadOnlyList<Reading>> QueryAsync(ReadingQuery query, CancellationToken cancellationToken = default);

    /// <summary>The most recent reading (by device time) of each kind the patient has.</summary>
    Task<IReadOnlyDictionary<VitalKind, Reading>> LatestByKindAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Min, mean, max and count per interval (see <see cref="ReadingSummaryQuery"/>), oldest first; intervals without
    /// readings are left out. Throws <see cref="ArgumentException"/> when <see cref="ReadingSummaryQuery.Problem"/> says why not.
    /// </summary>
    Task<IReadOnlyList<ReadingBucket>> SummarizeAsync(ReadingSummaryQuery query, CancellationToken cancellationToken = default);
}
