using Telehealth.CareRecord.Lifecycle;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// Pushes alert changes to staff (the web layer implements it over SignalR). Called only after the alert is
/// stored, so a push never announces something the database does not hold.
/// </summary>
public interface IAlertNotifier
{
    Task AlertRaisedAsync(Alert alert, CancellationToken cancellationToken);

    Task AlertUpdatedAsync(Alert alert, CancellationToken cancellationToken);
}
