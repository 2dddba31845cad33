using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Evaluation;

/// <summary>
/// An evaluation queue that can take a batch of readings into the care record before they are written to a reading
/// store outside its transactions (InfluxDB), and so tell that store which readings it need not ask about. The
/// PostgreSQL care record implements it; the pipeline uses it when it has one (docs/architecture.md, "Admitting readings
/// before InfluxDB").
/// </summary>
public interface IReadingAdmissions
{
    /// <summary>
    /// Records the readings' identities in a transaction that stays open until the admission is committed or disposed
    /// (disposed uncommitted, it records and queues nothing). A concurrent admission of the same identity waits for
    /// this one to end, so of two deliveries racing each other exactly one is first.
    /// </summary>
    Task<IReadingAdmission> AdmitAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);
}

/// <summary>One batch of readings taken into the care record, not yet committed.</summary>
public interface IReadingAdmission : IAsyncDisposable
{
    /// <summary>
    /// True when the reading at <paramref name="index"/> of the admitted batch is the first delivery of its identity
    /// the care record has had, and recent enough that an earlier one would still be known there: no earlier delivery
    /// of it was ever acknowledged, so no store holds it except from a delivery that was never acknowledged.
    /// </summary>
    bool NeverAcknowledged(int index);

    /// <summary>
    /// Queues for evaluation the readings this admission was first to see, except those the store refused or holds
    /// another value for (<paramref name="stored"/>: the store's answer for the batch), whose identities it forgets;
    /// then commits. Only then may the deliveries be acknowledged.
    /// </summary>
    Task CommitAsync(ReadingAppendResult stored, CancellationToken cancellationToken = default);
}
