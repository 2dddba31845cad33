using Microsoft.AspNetCore.SignalR;
using Telehealth.Alerts.Caseload;
using Telehealth.CareRecord.Lifecycle;
using Telehealth.Alerts.Engine;
using Telehealth.Clinician.Web.Api;
using Telehealth.Clinician.Web.Hubs;

namespace Telehealth.Clinician.Web.Realtime;

/// <summary>Pushes stored alerts to the staff of the patient's team. The alert core calls it only after the alert is stored.</summary>
public sealed class SignalRAlertNotifier(IHubContext<AlertsHub> hub, IPatientRepository patients) : IAlertNotifier
{
    public Task AlertRaisedAsync(Alert alert, CancellationToken cancellationToken) =>
        SendAsync(AlertsHubMethods.AlertRaised, alert, cancellationToken);

    public Task AlertUpdatedAsync(Alert alert, CancellationToken cancellationToken) =>
        SendAsync(AlertsHubMethods.AlertUpdated, alert, cancellationToken);

    private async Task SendAsync(string method, Alert alert, CancellationToken cancellationToken)
    {
        var patient = await patients.GetAsync(alert.PatientId, cancellationToken);
        if (patient is null)
        {
            return;
        }
        await hub.Clients.Group(AlertsHub.TeamGroup(patient.TeamId))
            .SendAsync(method, AlertDto.From(alert, patient.DisplayName), cancellationToken);
    }
}
