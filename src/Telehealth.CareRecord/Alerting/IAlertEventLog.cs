namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// Reads the append-only alert event log, and keeps each follower's place in it. Appending happens only through
/// <see cref="IAlertStore.CommitAsync"/>, together with the alert change itself.
/// </summary>
public interface IAlertEventLog
{
    /// <summary>Events after <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AlertEventRecord>> ReadAfterAsync(long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Events of one team's patients after <paramref name="afterSequence"/>, in order (the scoping is in the query).</summary>
    Task<IReadOnlyList<AlertEventRecord>> ReadForTeamAfterAsync(string teamId, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The whole history of one alert, oldest first.</summary>
    Task<IReadOnlyList<AlertEventRecord>> ForAlertAsync(Guid alertId, CancellationToken cancellationToken = default);

    /// <summary>The newest sequence in the log (0 when empty).</summary>
    Task<long> LatestSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>The last sequence a follower handled, or null when it has never run.</summary>
    Task<long?> GetCursorAsync(string follower, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a follower's place. It only ever moves forward: an instance that lost the follower's work lease while
    /// paused cannot move the place back under the instance that took over.
    /// </summary>
    Task SetCursorAsync(string follower, long sequence, CancellationToken cancellationToken = default);
}
