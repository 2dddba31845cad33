namespace Telehealth.CareRecord.Instances;

/// <summary>
/// Named work leases in the care record: work that must happen once across every instance sharing the record (an alert
/// event follower, the escalation timers) is done only by the instance holding its lease. A lease ends when its holder
/// releases it or when it is not renewed in time (its holder died): then any instance may take it. Times are passed in
/// (the caller's clock), so the rules are testable with explicit times.
/// </summary>
public interface IWorkLeaseStore
{
    /// <summary>
    /// Takes the lease <paramref name="name"/> for <paramref name="holder"/> until <paramref name="now"/> +
    /// <paramref name="duration"/> if nobody holds it, its holder's lease ran out at or before <paramref name="now"/>,
    /// or <paramref name="holder"/> holds it already (a renewal). True when <paramref name="holder"/> holds it after
    /// the call; one atomic step, so two instances asking at once never both get it.
    /// </summary>
    Task<bool> TryAcquireAsync(string name, string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Ends <paramref name="holder"/>'s lease on <paramref name="name"/> (nothing when another holds it), so another instance takes over at once.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken = default);

    /// <summary>The lease row as it stands (expired or not), or null when there is none.</summary>
    Task<WorkLease?> GetAsync(string name, CancellationToken cancellationToken = default);
}
