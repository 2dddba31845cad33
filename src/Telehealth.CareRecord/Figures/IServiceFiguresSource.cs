using Telehealth.CareRecord.Alerting;

namespace Telehealth.CareRecord.Figures;

/// <summary>The alert facts service figures are made of, read for one team in the query itself.</summary>
public interface IServiceFiguresSource
{
    /// <summary>Alerts of the team's people raised in [from, to), each with its first acknowledgement and first call from the event log.</summary>
    Task<IReadOnlyList<AlertFact>> AlertsRaisedAsync(string teamId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Device-silence alerts of the team's people raised before <paramref name="to"/> and not cleared before <paramref name="from"/>.</summary>
    Task<IReadOnlyList<AlertCase>> SilencesOverlappingAsync(string teamId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
