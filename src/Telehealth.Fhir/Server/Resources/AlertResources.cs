using Telehealth.CareRecord.Alerting;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>The alerts behind Flag and Task searches: one patient's, or every patient's in the caller's team, newest raised first.</summary>
public sealed class AlertResources(IAlertStore alerts)
{
    public const int MaxAlertsPerSearch = 10_000;

    public async Task<AlertCase?> GetVisibleAsync(Guid alertId, FhirCaller caller, CancellationToken cancellationToken)
    {
        var alert = await alerts.GetAsync(alertId, cancellationToken);
        return alert is not null && await caller.CanSeeAsync(alert.PatientId, cancellationToken) ? alert : null;
    }

    public async Task<IReadOnlyList<AlertCase>> SearchVisibleAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var patientId = SearchValues.PatientId(request);
        if (patientId is not null && !await caller.CanSeeAsync(patientId, cancellationToken))
        {
            return [];
        }
        // The caller's team is in the query, so the cap counts only their alerts.
        var visible = await alerts.ListAsync(new AlertQuery(PatientId: patientId, Limit: MaxAlertsPerSearch, TeamId: caller.TeamId), cancellationToken);
        return request.Sort == SearchSort.DateAscending
            ? [.. visible.OrderBy(a => a.RaisedAt).ThenBy(a => a.Id)]
            : [.. visible.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id)];
    }
}
