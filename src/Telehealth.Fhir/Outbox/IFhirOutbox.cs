namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Durable queue of FHIR writes to the external server. Entries are sent in <c>seq</c> order per patient; the
/// queue survives restarts (it lives in the platform's SQLite file).
/// </summary>
public interface IFhirOutbox
{
    /// <summary>
    /// Appends the items in order, in one transaction. An item is skipped when the newest entry for its identifier
    /// already holds exactly the same content and is pending or sent (it is going to arrive, or has arrived);
    /// anything else is appended after the existing entries, so versions are sent in the order they were decided.
    /// </summary>
    /// <returns>How many items were appended.</returns>
    Task<int> EnqueueAsync(IReadOnlyList<FhirOutboxItem> items, CancellationToken cancellationToken = default);

    /// <summary>Pending entries, oldest first, leaving out the given patients (those blocked behind a failing entry).</summary>
    Task<IReadOnlyList<PendingFhirWrite>> GetPendingAsync(int limit, IReadOnlyCollection<string> excludedPatients, CancellationToken cancellationToken = default);

    Task MarkSentAsync(long seq, int statusCode, int attempts, DateTimeOffset sentAt, CancellationToken cancellationToken = default);

    /// <summary>The server rejected the entry: it is kept, with the server's answer, and not sent again.</summary>
    Task MarkFailedAsync(long seq, int statusCode, string error, int attempts, CancellationToken cancellationToken = default);

    /// <summary>A transient failure: the entry stays pending with the attempt counted and the error kept.</summary>
    Task RecordTransientFailureAsync(long seq, int? statusCode, string error, int attempts, CancellationToken cancellationToken = default);

    /// <summary>Records what several pushes came to, in one transaction, in the order given.</summary>
    Task RecordAsync(IReadOnlyList<FhirPushRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Whether any entry (whatever its status) carries this identifier.</summary>
    Task<bool> ContainsAsync(string identifierSystem, string identifierValue, CancellationToken cancellationToken = default);

    /// <param name="patientIds">Only these patients' entries (team scoping); null for all.</param>
    Task<FhirOutboxCounts> CountAsync(IReadOnlyCollection<string>? patientIds = null, CancellationToken cancellationToken = default);

    /// <summary>Entries without content: pending oldest first (the head of the queue), otherwise newest first.</summary>
    /// <param name="status">Only this status; null for all.</param>
    /// <param name="patientIds">Only these patients' entries (team scoping); null for all.</param>
    Task<IReadOnlyList<FhirOutboxEntry>> ListAsync(FhirOutboxStatus? status, int limit, IReadOnlyCollection<string>? patientIds = null, CancellationToken cancellationToken = default);

    /// <summary>Completes when an entry was appended since the last wait, or after <paramref name="timeout"/>.</summary>
    Task WaitForNewEntriesAsync(TimeSpan timeout, CancellationToken cancellationToken);
}
