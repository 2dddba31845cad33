using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Evaluation;

/// <summary>
/// The durable record that stored data still has to be evaluated ("stored" and "evaluated" are two steps). Ingest
/// writes it before a device is acknowledged — in the same transaction as the data where the store allows it — and
/// the evaluation worker takes it from there, per patient and in order, retrying until done.
/// Enqueueing is idempotent on the data's identity (device, kind or type, device time): a redelivered message
/// queues nothing twice, and data already evaluated is not evaluated again.
/// </summary>
public interface IEvaluationQueue
{
    Task EnqueueReadingsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default);

    Task EnqueueEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default);

    /// <summary>Queues an accepted device status (idempotent on device and device time).</summary>
    Task EnqueueStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken = default);

    /// <summary>Queues a re-evaluation of a person's rules after a change to their care record (idempotent on person, part and time).</summary>
    Task EnqueueReassessAsync(string patientId, CareRecordChange change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="maxItems"/> due items in queue order, skipping every patient whose earliest due item is
    /// still backing off (so a patient's later data never overtakes an earlier failure).
    /// </summary>
    /// <param name="maxItems">
    /// The most items returned, except that a store keeping one batch's readings of a person together (PostgreSQL) returns
    /// such a batch whole: it then stops at the first batch that begins past <paramref name="maxItems"/>.
    /// </param>
    /// <param name="now">The time due items are due by (and, where the store leases people, the lease's start).</param>
    /// <param name="skipPatients">
    /// People the caller is evaluating already (its own passes still under way hold their earlier items): none of their
    /// items is returned, and this claim takes, extends or widens no hold on them (a lease where the store has one); they
    /// do not count among the people waiting either. Their later items are claimed once the caller's pass is done.
    /// </param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    Task<IReadOnlyList<DueItem>> ClaimAsync(int maxItems, DateTimeOffset now, IReadOnlyCollection<string> skipPatients,
        CancellationToken cancellationToken = default);

    /// <summary>Records a failed attempt: the items become due again at <paramref name="retryAt"/>.</summary>
    Task DeferAsync(IReadOnlyList<long> sequences, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default);

    /// <summary>How many items are due and not yet evaluated, and the enqueue time of the oldest (for readiness and metrics).</summary>
    Task<(int Count, DateTimeOffset? OldestEnqueuedAt)> PendingAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes evaluated items older than <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
