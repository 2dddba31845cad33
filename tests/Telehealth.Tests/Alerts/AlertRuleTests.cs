using Telehealth.CareRecord;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Evaluation;
using Telehealth.CareRecord.Evaluation.Telecare;
using Telehealth.CareRecord.Evaluation.Vitals;
using Telehealth.CareRecord.Observations;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.Alerts;

/// <summary>The texts and severities the rules share, and the NEWS2 assessment stored for the care record.</summary>
public sealed class AlertRuleTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(VitalKind.Spo2, 92, "SpO2 92 % below default low 94 %")]
    [InlineData(VitalKind.Spo2, 89, "SpO2 89 % below default critical low 91 %")]
    [InlineData(VitalKind.HeartRate, 112, "Heart rate 112 bpm above default high 100 bpm")]
    [InlineData(VitalKind.HeartRate, 135, "Heart rate 135 bpm above default critical high 130 bpm")]
    [InlineData(VitalKind.BodyTemperature, 38.45, "Temperature 38.45 °C above default high 38 °C")]
    [InlineData(VitalKind.SystolicBp, 85, "Systolic BP 85 mmHg below default critical low 90 mmHg")]
    public void Threshold_findings_name_the_vital_value_side_band_and_bound(VitalKind kind, double value, string reason)
    {
        var rule = new ThresholdAlertRule(ThresholdSet.Defaults.For(kind)!, VitalAlertTuning.Defaults[kind]);

        var result = rule.Evaluate(new RuleInput("pat-1", Now, new ReadingObserved(Reading(kind, value))), null);

        Assert.Equal((RuleVerdict.True, ConditionKeys.Threshold(kind), reason, false, Now),
            (result.Verdict, rule.Key, result.Finding!.Reason, result.Finding.Instantaneous, result.Finding.ObservedAt));
    }

    [Theory]
    [InlineData(TelecareEventType.PendantPress, AlertSeverity.Critical)]
    [InlineData(TelecareEventType.FallDetected, AlertSeverity.Critical)]
    [InlineData(TelecareEventType.Smoke, AlertSeverity.Critical)]
    [InlineData(TelecareEventType.CarbonMonoxide, AlertSeverity.Critical)]
    [InlineData(TelecareEventType.Flood, AlertSeverity.Critical)]
    [InlineData(TelecareEventType.Inactivity, AlertSeverity.High)]
    [InlineData(TelecareEventType.DoorExit, AlertSeverity.Medium)]
    [InlineData(TelecareEventType.BedAbsence, AlertSeverity.Medium)]
    [InlineData(TelecareEventType.LowBattery, AlertSeverity.Low)]
    [InlineData(TelecareEventType.Tamper, AlertSeverity.Low)]
    [InlineData(TelecareEventType.PowerFail, AlertSeverity.Low)]
    public void Telecare_event_severities(TelecareEventType type, AlertSeverity severity)
    {
        Assert.Equal(severity, TelecareEventMeaning.SeverityOf(type));
    }

    [Fact]
    public void Every_telecare_event_type_has_a_severity()
    {
        Assert.All(TelecareEventTypes.All, type => Assert.True(Enum.IsDefined(TelecareEventMeaning.SeverityOf(type))));
    }

    public static TheoryData<double, double, double, double, bool, int, News2Risk> News2RiskCases() => new()
    {
        // spo2, pulse, systolic, temperature, oxygen → NEWS2 (respiration and consciousness missing, air/oxygen known)
        { 97, 70, 120, 37.0, false, 0, News2Risk.Low },
        { 97, 111, 120, 38.5, false, 3, News2Risk.Low },       // 3 without a single 3
        { 91, 70, 120, 37.0, false, 3, News2Risk.LowMedium },  // a single 3
        { 93, 111, 120, 38.5, false, 5, News2Risk.Medium },    // 2 + 2 + 1
        { 91, 131, 120, 37.0, true, 8, News2Risk.High },       // 3 + 3 + 2 (oxygen)
    };

    [Theory]
    [MemberData(nameof(News2RiskCases))]
    public void The_stored_assessment_scores_the_latest_readings(double spo2, double pulse, double systolic, double temperature, bool oxygen, int total, News2Risk risk)
    {
        var latest = Latest(Reading(VitalKind.Spo2, spo2), Reading(VitalKind.HeartRate, pulse), Reading(VitalKind.SystolicBp, systolic), Reading(VitalKind.BodyTemperature, temperature));
        var care = new News2CareSettings(News2Scale.Scale1, OnSupplementalOxygen: oxygen, Consciousness: null);

        var assessment = News2Assessments.Assess("pat-1", latest, care, Now, TimeSpan.FromHours(24))!;

        Assert.Equal((total, risk, "pat-1", Now, Now), (assessment.Score.Total, assessment.Score.Risk, assessment.PatientId, assessment.ObservedAt, assessment.AssessedAt));
        Assert.Equal(4, assessment.Basis.Count);
    }

    [Fact]
    public void News2_reason_names_the_score_and_what_is_missing()
    {
        var latest = Latest(Reading(VitalKind.Spo2, 91), Reading(VitalKind.HeartRate, 115), Reading(VitalKind.BodyTemperature, 38.4));

        var assessment = News2Assessments.Assess("pat-1", latest, News2CareSettings.Unknown, Now, TimeSpan.FromHours(24))!;

        Assert.Equal(
            "NEWS2 6 (medium risk): SpO2 3, pulse 2, temperature 1; partial: missing respiration rate, air or oxygen, systolic BP, consciousness",
            News2Assessments.Describe(assessment.Score));
    }

    [Fact]
    public void News2_counts_only_readings_inside_the_window()
    {
        var old = Reading(VitalKind.HeartRate, 140) with { DeviceTime = Now - TimeSpan.FromHours(25) };
        var latest = Latest(old, Reading(VitalKind.Spo2, 91));
        var care = new News2CareSettings(News2Scale.Scale1, false, ConsciousnessLevel.Alert);

        var assessment = News2Assessments.Assess("pat-1", latest, care, Now, TimeSpan.FromHours(24))!;

        // Pulse 140 would add 3 and make it 6 (medium); out of the window it is missing instead.
        Assert.Equal("NEWS2 3 (low-medium risk: a single parameter scored 3): SpO2 3; partial: missing respiration rate, systolic BP, pulse, temperature", News2Assessments.Describe(assessment.Score));
        Assert.Null(News2Assessments.Assess("pat-1", Latest(old), care, Now, TimeSpan.FromHours(24)));
    }

    [Fact]
    public void News2_with_every_parameter_is_not_called_partial()
    {
        var latest = Latest(Reading(VitalKind.Spo2, 97), Reading(VitalKind.HeartRate, 70), Reading(VitalKind.SystolicBp, 120),
            Reading(VitalKind.BodyTemperature, 37), Reading(VitalKind.RespiratoryRate, 26));
        var care = new News2CareSettings(News2Scale.Scale1, false, ConsciousnessLevel.Alert);

        var assessment = News2Assessments.Assess("pat-1", latest, care, Now, TimeSpan.FromHours(24))!;

        Assert.Equal("NEWS2 3 (low-medium risk: a single parameter scored 3): respiration rate 3", News2Assessments.Describe(assessment.Score));
    }

    private static Reading Reading(VitalKind kind, double value) => new("dev-1", "pat-1", kind, value, Now, Now);

    private static Dictionary<VitalKind, Reading> Latest(params Reading[] readings) => readings.ToDictionary(reading => reading.Kind);
}
