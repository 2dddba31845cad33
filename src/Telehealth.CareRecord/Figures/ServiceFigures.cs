using Telehealth.CareRecord.Alerting;

namespace Telehealth.CareRecord.Figures;

/// <summary>
/// What a team lead or commissioner measures a service by, for one team and period: alerts by severity and kind,
/// time to acknowledge against the telecare call-handling standards (60 s; 3 minutes), outcomes of resolved
/// alerts, readings adherence per person and planned reading, and device uptime.
/// </summary>
public sealed record ServiceFigures(
    string TeamId,
    FiguresPeriod Period,
    int AlertsRaised,
    IReadOnlyDictionary<AlertSeverity, int> BySeverity,
    IReadOnlyDictionary<string, int> ByKind,
    ResponseTimes TimeToAcknowledge,
    IReadOnlyDictionary<AlertOutcome, int> Outcomes,
    IReadOnlyList<PersonAdherence> Adherence,
    IReadOnlyList<DeviceUptime> Uptime);
