namespace Telehealth.Contracts.Rejections;

/// <summary>
/// Reading and pruning the kept rejections (the staff pages and the retention pass), on whichever engine holds the
/// care record: the embedded SQLite file or the shared PostgreSQL database.
/// </summary>
public interface IRejectionQueries
{
    /// <summary>A page of rejections within <see cref="RejectionQuery.Scope"/>, newest first.</summary>
    Task<IReadOnlyList<StoredRejection>> QueryAsync(RejectionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Kept rejections within <paramref name="scope"/> per device and reason (optionally of one device), most first.</summary>
    Task<IReadOnlyList<RejectionCount>> CountAsync(RejectionScope scope, string? deviceId = null, CancellationToken cancellationToken = default);

    /// <summary>Exact number of rejections ever recorded per reason code, including pruned rows.</summary>
    Task<IReadOnlyDictionary<string, long>> CountsByReasonAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes rejections recorded before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
