using Telehealth.CareRecord.Alerting;

namespace Telehealth.Alerts.Recording;

/// <summary>
/// Something that acts on every alert event, in order (the dashboards' live push, the FHIR outbox, notifications). It
/// is handed each event at least once: after a crash it may see again the events after its saved place, so what it
/// does must be idempotent.
/// </summary>
public interface IAlertEventFollower
{
    /// <summary>Its name in the cursor table; never change it once deployed.</summary>
    string Name { get; }

    /// <summary>
    /// Where a follower starts the first time it runs: true for live pushes (history is on the dashboard already),
    /// false to go through the whole log (records that must be complete).
    /// </summary>
    bool StartsAtLatest { get; }

    /// <summary>
    /// True (the default): what it does must happen once across the instances sharing the care record (a record
    /// written, a person notified, a push through the shared backplane), so it runs only in the instance holding its
    /// work lease. False: every instance must do it for itself (a push to this instance's own connections only).
    /// </summary>
    bool OncePerCareRecord => true;

    Task HandleAsync(IReadOnlyList<AlertEventRecord> events, CancellationToken cancellationToken);
}
