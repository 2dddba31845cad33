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

    Task HandleAsync(IReadOnlyList<AlertEventRecord> events, CancellationToken cancellationToken);
}
