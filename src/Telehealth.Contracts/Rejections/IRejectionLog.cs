namespace Telehealth.Contracts.Rejections;

/// <summary>Where refused input is recorded, so it is counted and visible to staff rather than silently dropped.</summary>
public interface IRejectionLog
{
    ValueTask RecordAsync(Rejection rejection, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Rejection>> RecentAsync(int limit, CancellationToken cancellationToken = default);
}
