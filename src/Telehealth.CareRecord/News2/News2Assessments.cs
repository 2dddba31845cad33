using System.Text;
using Telehealth.CareRecord.Rules;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.News2;

/// <summary>
/// NEWS2 over the person's latest readings, as stored for the care record (FHIR RiskAssessment), and the words for a
/// score (used by <see cref="Evaluation.Vitals.News2AlertRule"/>). Only readings measured within the window count,
/// because a score built from last week's pulse would describe someone who no longer exists; older readings are missing.
/// </summary>
public static class News2Assessments
{
    private static readonly (VitalKind Kind, News2Parameter Parameter)[] DeviceParameters =
    [
        (VitalKind.RespiratoryRate, News2Parameter.RespirationRate),
        (VitalKind.Spo2, News2Parameter.OxygenSaturation),
        (VitalKind.SystolicBp, News2Parameter.SystolicBloodPressure),
        (VitalKind.HeartRate, News2Parameter.Pulse),
        (VitalKind.BodyTemperature, News2Parameter.Temperature),
    ];

    /// <summary>
    /// The score over the readings measured within the window, with those readings as its basis; null when no
    /// device reading is recent enough to say anything.
    /// </summary>
    public static News2Assessment? Assess(
        string patientId,
        IReadOnlyDictionary<VitalKind, Reading> latestByKind,
        News2CareSettings care,
        DateTimeOffset now,
        TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(latestByKind);
        ArgumentNullException.ThrowIfNull(care);
        var since = now - window;
        var recent = new Dictionary<VitalKind, Reading>();
        foreach (var (kind, _) in DeviceParameters)
        {
            if (latestByKind.TryGetValue(kind, out var reading) && reading.DeviceTime >= since)
            {
                recent[kind] = reading;
            }
        }
        if (recent.Count == 0)
        {
            return null;
        }

        var inputs = new News2Inputs(
            RespirationRate: recent.GetValueOrDefault(VitalKind.RespiratoryRate)?.Value,
            Spo2: recent.GetValueOrDefault(VitalKind.Spo2)?.Value,
            OnSupplementalOxygen: care.OnSupplementalOxygen,
            SystolicBp: recent.GetValueOrDefault(VitalKind.SystolicBp)?.Value,
            Pulse: recent.GetValueOrDefault(VitalKind.HeartRate)?.Value,
            Consciousness: care.Consciousness,
            TemperatureCelsius: recent.GetValueOrDefault(VitalKind.BodyTemperature)?.Value,
            Scale: care.Scale);
        var basis = recent.Values.OrderBy(r => r.Kind).ToArray();
        return new News2Assessment(
            News2Assessment.IdFor(patientId, basis),
            patientId,
            News2Calculator.Calculate(inputs),
            care.Scale,
            basis,
            basis.Max(reading => reading.DeviceTime),
            now);
    }

    /// <summary>E.g. "NEWS2 6 (medium risk): SpO2 3, pulse 2, temperature 1; partial: missing respiration rate, consciousness".</summary>
    public static string Describe(News2Score score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var text = new StringBuilder();
        text.Append("NEWS2 ").Append(score.Total).Append(" (").Append(RiskLabel(score.Risk)).Append(')');
        var contributing = score.ParameterScores
            .Where(pair => pair.Value > 0)
            .OrderBy(pair => pair.Key)
            .Select(pair => $"{ParameterLabel(pair.Key)} {pair.Value}")
            .ToArray();
        if (contributing.Length > 0)
        {
            text.Append(": ").AppendJoin(", ", contributing);
        }
        if (score.IsPartial)
        {
            text.Append("; partial: missing ").AppendJoin(", ", score.Missing.Select(ParameterLabel));
        }
        return text.ToString();
    }

    private static string RiskLabel(News2Risk risk) => risk switch
    {
        News2Risk.High => "high risk",
        News2Risk.Medium => "medium risk",
        News2Risk.LowMedium => "low-medium risk: a single parameter scored 3",
        _ => "low risk",
    };

    private static string ParameterLabel(News2Parameter parameter) => parameter switch
    {
        News2Parameter.RespirationRate => "respiration rate",
        News2Parameter.OxygenSaturation => "SpO2",
        News2Parameter.AirOrOxygen => "air or oxygen",
        News2Parameter.SystolicBloodPressure => "systolic BP",
        News2Parameter.Pulse => "pulse",
        News2Parameter.Consciousness => "consciousness",
        News2Parameter.Temperature => "temperature",
        _ => parameter.ToString(),
    };
}
