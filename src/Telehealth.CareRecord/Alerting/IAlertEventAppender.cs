namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// Appends events that do not change the alert itself (escalated, notification_sent, notification_failed) without
/// writing the alert row, so a step decided from a slightly older reading of the alert can never overwrite what the
/// engine or a member of staff recorded meanwhile. Each event carries the alert as stored at the moment of appending.
/// </summary>
public interface IAlertEventAppender
{
    /// <summary>
    /// Appends <paramref name="events"/> (all of one alert) in one transaction. With <paramref name="expectedLastSequence"/>,
    /// only if the alert's newest event is still that one and the alert is still open; otherwise nothing is written
    /// and the result is empty (decide again from the log). Unknown alert: nothing written.
    /// </summary>
    Task<IReadOnlyList<AlertEventRecord>> AppendAsync(Guid alertId, IReadOnlyList<AlertEvent> events, long? expectedLastSequence, CancellationToken cancellationToken = default);
}
