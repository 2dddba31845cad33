using Telehealth.CareRecord;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Rules;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Tests.Alerts;

public sealed class AlertRuleTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(VitalKind.Spo2, 92, AlertSeverity.Medium, "SpO2 92 % below default low 94 %")]
    [InlineData(VitalKind.Spo2, 89, AlertSeverity.High, "SpO2 89 % below default critical low 91 %")]
    [InlineData(VitalKind.HeartRate, 112, AlertSeverity.Medium, "Heart rate 112 bpm above default high 100 bpm")]
    [InlineData(VitalKind.HeartRate, 135, AlertSeverity.High, "Heart rate 135 bpm above default critical high 130 bpm")]
    [InlineData(VitalKind.BodyTemperature, 38.45, AlertSeverity.Medium, "Temperature 38.45 °C above default high 38 °C")]
    [InlineData(VitalKind.SystolicBp, 85, AlertSeverity.High, "Systolic BP 85 mmHg below default critical low 90 mmHg")]
    [InlineData(VitalKind.BloodGlucose, 3.5, AlertSeverity.Medium, "Blood glucose 3.5 mmol/L below default low 4 mmol/L")]
    public void Threshold_breaches_become_findings(VitalKind kind, double value, AlertSeverity severity, string reason)
    {
        var outcome = ThresholdRule.Evaluate(Reading(kind, value), ThresholdSet.Defaults)!;

        Assert.Equal(ConditionKeys.Threshold(kind), outcome.ConditionKey);
        Assert.NotNull(outcome.Finding);
        Assert.Equal((severity, reason, false, Now), (outcome.Finding.Severity, outcome.Finding.Reason, outcome.Finding.Instantaneous, outcome.Finding.ObservedAt));
    }

    [Fact]
    public void A_personal_threshold_is_named_as_personal()
    {
        var set = ThresholdSet.Defaults.WithOverrides([new VitalThreshold(VitalKind.Spo2, 85, 88, null, null)]);

        var outcome = ThresholdRule.Evaluate(Reading(VitalKind.Spo2, 87), set)!;

        Assert.Equal("SpO2 87 % below personal low 88 %", outcome.Finding!.Reason);
        Assert.True(ThresholdRule.Evaluate(Reading(VitalKind.Spo2, 92), set)!.IsClear);
    }

    [Theory]
    [InlineData(VitalKind.Spo2, 94)]
    [InlineData(VitalKind.HeartRate, 72)]
    [InlineData(VitalKind.BodyTemperature, 36.8)]
    public void Normal_readings_clear(VitalKind kind, double value)
    {
        var outcome = ThresholdRule.Evaluate(Reading(kind, value), ThresholdSet.Defaults)!;

        Assert.True(outcome.IsClear);
        Assert.Equal($"threshold:{kind.WireName()}", outcome.ConditionKey);
    }

    [Fact]
    public void A_kind_without_a_threshold_says_nothing()
    {
        Assert.Null(ThresholdRule.Evaluate(Reading(VitalKind.BodyWeight, 140), ThresholdSet.Defaults));
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
    public void Telecare_events_are_instantaneous_findings(TelecareEventType type, AlertSeverity severity)
    {
        var finding = TelecareEventRule.Evaluate(new TelecareEvent("dev-1", "pat-1", type, Now, Now.AddSeconds(1)));

        Assert.Equal(($"event:{type.WireName()}", severity, true, Now), (finding.ConditionKey, finding.Severity, finding.Instantaneous, finding.ObservedAt));
        Assert.EndsWith("(device dev-1)", finding.Reason);
    }

    [Fact]
    public void Every_telecare_event_type_has_a_severity()
    {
        Assert.All(TelecareEventTypes.All, type => Assert.True(Enum.IsDefined(TelecareEventRule.SeverityOf(type))));
    }

    public static TheoryData<double, double, double, double, AlertSeverity?> News2SeverityCases() => new()
    {
        // spo2, pulse, systolic, temperature → NEWS2 (respiration and consciousness missing, air known)
        { 97, 70, 120, 37.0, null },                  // 0: low → clear
        { 97, 111, 120, 38.5, null },                 // 3 without a single 3: low → clear
        { 91, 70, 120, 37.0, AlertSeverity.Medium },  // single 3 → low-medium
        { 93, 111, 120, 38.5, AlertSeverity.High },   // 2 + 2 + 1 = 5 → medium
        { 91, 131, 120, 37.0, AlertSeverity.Critical }, // 3 + 3 + 2 (oxygen) = 8 → high
    };

    [Theory]
    [MemberData(nameof(News2SeverityCases))]
    public void News2_risk_maps_to_severity(double spo2, double pulse, double systolic, double temperature, AlertSeverity? expected)
    {
        var latest = Latest(Reading(VitalKind.Spo2, spo2), Reading(VitalKind.HeartRate, pulse), Reading(VitalKind.SystolicBp, systolic), Reading(VitalKind.BodyTemperature, temperature));
        var care = new News2CareSettings(News2Scale.Scale1, OnSupplementalOxygen: expected == AlertSeverity.Critical, Consciousness: null);

        var outcome = News2Rule.Evaluate(latest, care, Now, TimeSpan.FromHours(24))!;

        Assert.Equal(ConditionKeys.News2, outcome.ConditionKey);
        Assert.Equal(expected, outcome.Finding?.Severity);
    }

    [Fact]
    public void News2_reason_names_the_score_and_what_is_missing()
    {
        var latest = Latest(Reading(VitalKind.Spo2, 91), Reading(VitalKind.HeartRate, 115), Reading(VitalKind.BodyTemperature, 38.4));

        var outcome = News2Rule.Evaluate(latest, News2CareSettings.Unknown, Now, TimeSpan.FromHours(24))!;

        Assert.Equal(
            "NEWS2 6 (medium risk): SpO2 3, pulse 2, temperature 1; partial: missing respiration rate, air or oxygen, systolic BP, consciousness",
            outcome.Finding!.Reason);
        Assert.Equal(AlertSeverity.High, outcome.Finding.Severity);
    }

    [Fact]
    public void News2_counts_only_readings_inside_the_window()
    {
        var old = Reading(VitalKind.HeartRate, 140) with { DeviceTime = Now - TimeSpan.FromHours(25) };
        var latest = Latest(old, Reading(VitalKind.Spo2, 91));
        var care = new News2CareSettings(News2Scale.Scale1, false, ConsciousnessLevel.Alert);

        var outcome = News2Rule.Evaluate(latest, care, Now, TimeSpan.FromHours(24))!;

        // Pulse 140 would add 3 and make it 6 (medium); out of the window it is missing instead.
        Assert.Equal("NEWS2 3 (low-medium risk: a single parameter scored 3): SpO2 3; partial: missing respiration rate, systolic BP, pulse, temperature", outcome.Finding!.Reason);
        Assert.Null(News2Rule.Evaluate(Latest(old), care, Now, TimeSpan.FromHours(24)));
    }

    [Fact]
    public void News2_with_every_parameter_is_not_called_partial()
    {
        var latest = Latest(Reading(VitalKind.Spo2, 97), Reading(VitalKind.HeartRate, 70), Reading(VitalKind.SystolicBp, 120),
            Reading(VitalKind.BodyTemperature, 37), Reading(VitalKind.RespiratoryRate, 26));
        var care = new News2CareSettings(News2Scale.Scale1, false, ConsciousnessLevel.Alert);

        var outcome = News2Rule.Evaluate(latest, care, Now, TimeSpan.FromHours(24))!;

        Assert.Equal("NEWS2 3 (low-medium risk: a single parameter scored 3): respiration rate 3", outcome.Finding!.Reason);
    }

    private static Reading Reading(VitalKind kind, double value) => new("dev-1", "pat-1", kind, value, Now, Now);

    private static Dictionary<VitalKind, Reading> Latest(params Reading[] readings) => readings.ToDictionary(reading => reading.Kind);
}
