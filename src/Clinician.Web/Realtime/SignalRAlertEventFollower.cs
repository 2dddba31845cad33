using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Clinician.Web.Api;
using Telehealth.Clinician.Web.Hubs;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Clinician.Web.Realtime;

/// <summary>
/// Follows the alert event log to the dashboards: each event goes to the SignalR group of the patient's team as
/// alertRaised or alertUpdated, carrying its event sequence. A push lost to a crash or a dropped connection is not
/// lost to staff: the follower resumes from its saved place after a restart, and a dashboard that reconnects asks
/// <c>GET /api/alerts/events?after=</c> for what it missed.
/// With a Redis backplane (<see cref="RealtimeOptions.Redis"/>) a push from one instance reaches the dashboards of every
/// instance, so it runs in one instance only (the holder of its work lease): each event is pushed once, not once per
/// instance. Without one, each instance pushes to its own dashboards.
/// </summary>
public sealed class SignalRAlertEventFollower(IHubContext<AlertsHub> hub, IPatientRepository patients, IOptions<RealtimeOptions> realtime) : IAlertEventFollower
{
    private readonly ConcurrentDictionary<string, PatientRecord> _patients = new(StringComparer.Ordinal);

    public string Name => "signalr";

    /// <summary>Dashboards load the current alerts when they open; the live push starts at the present.</summary>
    public bool StartsAtLatest => true;

    public bool OncePerCareRecord => !string.IsNullOrEmpty(realtime.Value.Redis);

    public async Task HandleAsync(IReadOnlyList<AlertEventRecord> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var alertEvent in events)
        {
            if (await FindPatientAsync(alertEvent.PatientId, cancellationToken) is not { } patient)
            {
                continue;
            }
            var method = alertEvent.Type == AlertEventType.Raised ? AlertsHubMethods.AlertRaised : AlertsHubMethods.AlertUpdated;
            await hub.Clients.Group(AlertsHub.TeamGroup(patient.TeamId))
                .SendAsync(method, AlertDto.From(alertEvent, patient), cancellationToken);
        }
    }

    private async Task<PatientRecord?> FindPatientAsync(string patientId, CancellationToken cancellationToken)
    {
        if (_patients.TryGetValue(patientId, out var known))
        {
            return known;
        }
        if (await patients.GetAsync(patientId, cancellationToken) is not { } patient)
        {
            return null;
        }
        // A patient's team, name, NHS number and date of birth are cached for this process; a change of team is rare and seen after a restart.
        return _patients[patientId] = patient;
    }
}
