namespace Telehealth.Contracts.Events;

/// <summary>Storage of telecare events (pendant presses, falls, smoke...). Identity is (DeviceId, Type, DeviceTime).</summary>
public interface ITelecareEventStore
{
    /// <summary>Creates tables when missing. Safe to call more than once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the event unless one with the same (DeviceId, Type, DeviceTime to the millisecond) is already stored.
    /// Returns true when the event was new, so a redelivered pendant press raises one alarm, not two.
    /// </summary>
    Task<bool> AppendAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default);

    /// <summary>The patient's most recent events by device time, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<TelecareEvent>> RecentForPatientAsync(string patientId, int limit, CancellationToken cancellationToken = default);
}
