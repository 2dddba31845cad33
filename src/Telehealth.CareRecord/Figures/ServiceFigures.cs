using Telehealth.CareRecord.Alerting;

namespace Telehealth.CareRecord.Figures;

/// <summary>
/// What a team lead or commissioner measures a service by, for one team and period: alerts by severity and kind,
/// time to acknowledge and time to first call against the telecare call-handling standards (60 s; 3 minutes),
/// outcomes of resolved alerts, telephone follow-ups and how they ended, readings adherence per person and planned
/// reading, and device uptime.
/// </summary>
/// <param name="TimeToFirstCall">Over the alerts that call for a call (<see cref="FollowUp.FollowUpCalls.IsCallKind"/>) or got one.</param>
public sealed record ServiceFigures(
    string TeamId,
    FiguresPeriod Period,
    int AlertsRaised,
    IReadOnlyDictionary<AlertSeverity, int> BySeverity,
    IReadOnlyDictionary<string, int> ByKind,
    ResponseTimes TimeToAcknowledge,
    IReadOnlyDictionary<AlertOutcome, int> Outcomes,
    IReadOnlyList<PersonAdherence> Adherence,
    IReadOnlyList<DeviceUptime> Uptime,
    ResponseTimes TimeToFirstCall,
    FollowUpFigures FollowUps);
