namespace Telehealth.CareRecord.Figures;

/// <summary>
/// How long alerts waited for a response. Percentiles are nearest-rank (the value below which that share of the
/// responses lie, always an observed time); shares are of the alerts that got a response.
/// </summary>
/// <param name="Responded">Alerts that got the response in the data.</param>
/// <param name="Waiting">Alerts raised in the period that have not (yet) got it.</param>
public sealed record ResponseTimes(
    int Responded,
    int Waiting,
    TimeSpan? Median,
    TimeSpan? Percentile90,
    double? ShareWithin60Seconds,
    double? ShareWithin3Minutes);
