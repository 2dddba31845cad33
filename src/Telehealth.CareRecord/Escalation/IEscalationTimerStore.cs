using Telehealth.Contracts.Waking;

namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// The escalation worker's durable timers: per alert that may still need escalating, when to look at it next. Every
/// deadline survives a restart; after downtime a timer in the past is simply due at once.
/// </summary>
public interface IEscalationTimerStore
{
    /// <summary>Nudged whenever a timer is brought forward in this process, so the worker does not sleep through it.</summary>
    WakeSignal Changed { get; }

    /// <summary>Look at the alert no later than <paramref name="at"/> (an earlier existing time is kept).</summary>
    Task ScheduleAsync(Guid alertId, string patientId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Timers due at <paramref name="now"/>, earliest first.</summary>
    Task<IReadOnlyList<EscalationTimer>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The earliest timer, or null when none is set.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Every timer, earliest first.</summary>
    Task<IReadOnlyList<EscalationTimer>> AllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The worker looked at the alert: next look at <paramref name="next"/>, or none (the alert no longer escalates).
    /// Ignored when the timer changed since it was read (something asked for an earlier look: that stands).
    /// </summary>
    Task CompleteAsync(EscalationTimer timer, DateTimeOffset? next, CancellationToken cancellationToken = default);
}
