using System.Text;
using Telehealth.CareRecord.News2;

namespace Telehealth.Fhir.Mapping;

/// <summary>NEWS2 codes and words for RiskAssessment.</summary>
internal static class News2RiskLabels
{
    public const string TotalScoreSnomed = "1104051000000101";
    public const string TotalScoreDisplay = "Royal College of Physicians National Early Warning Score 2 total score";

    /// <summary>
    /// risk-probability has negligible | low | moderate | high | certain. Low–medium (a single parameter scoring 3)
    /// calls for an urgent response, so it maps to moderate, never low; our own news2-risk coding keeps the exact band.
    /// </summary>
    public static (string Code, string Display) RiskProbability(News2Risk risk) => risk switch
    {
        News2Risk.Low => ("low", "Low likelihood"),
        News2Risk.LowMedium or News2Risk.Medium => ("moderate", "Moderate likelihood"),
        News2Risk.High => ("high", "High likelihood"),
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    public static string Code(News2Risk risk) => risk switch
    {
        News2Risk.Low => "low",
        News2Risk.LowMedium => "low-medium",
        News2Risk.Medium => "medium",
        News2Risk.High => "high",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    public static string Display(News2Risk risk) => risk switch
    {
        News2Risk.Low => "Low",
        News2Risk.LowMedium => "Low-medium",
        News2Risk.Medium => "Medium",
        News2Risk.High => "High",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    public static string Rationale(News2Risk risk) => risk switch
    {
        News2Risk.Low => "Aggregate score 0-4 with no single parameter scoring 3",
        News2Risk.LowMedium => "A single parameter scored 3: urgent response",
        News2Risk.Medium => "Aggregate score 5-6: key threshold for urgent response",
        News2Risk.High => "Aggregate score 7 or more: emergency response",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, null),
    };

    public static string ParameterCode(News2Parameter parameter) => parameter switch
    {
        News2Parameter.RespirationRate => "respiration_rate",
        News2Parameter.OxygenSaturation => "oxygen_saturation",
        News2Parameter.AirOrOxygen => "air_or_oxygen",
        News2Parameter.SystolicBloodPressure => "systolic_blood_pressure",
        News2Parameter.Pulse => "pulse",
        News2Parameter.Consciousness => "consciousness",
        News2Parameter.Temperature => "temperature",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, null),
    };

    public static string ParameterDisplay(News2Parameter parameter) => parameter switch
    {
        News2Parameter.RespirationRate => "Respiration rate",
        News2Parameter.OxygenSaturation => "Oxygen saturation",
        News2Parameter.AirOrOxygen => "Air or oxygen",
        News2Parameter.SystolicBloodPressure => "Systolic blood pressure",
        News2Parameter.Pulse => "Pulse",
        News2Parameter.Consciousness => "Consciousness",
        News2Parameter.Temperature => "Temperature",
        _ => throw new ArgumentOutOfRangeException(nameof(parameter), parameter, null),
    };

    /// <summary>"NEWS2 total 5 (medium)." or "NEWS2 total 2 (low), PARTIAL: not measured: respiration rate, consciousness."</summary>
    public static string Summary(News2Score score)
    {
        var text = new StringBuilder($"NEWS2 total {score.Total} ({Display(score.Risk).ToLowerInvariant()})");
        if (score.IsPartial)
        {
            text.Append(", PARTIAL score (a lower bound): not measured: ")
                .AppendJoin(", ", score.Missing.Select(p => ParameterDisplay(p).ToLowerInvariant()));
        }
        return text.Append('.').ToString();
    }
}
