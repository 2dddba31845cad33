// FHIR POCO properties are all nullable; a missing element makes the test fail with an exception, which is what we want.
#nullable disable warnings
using Hl7.Fhir.Model;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Devices;
using static Telehealth.Tests.Fhir.FhirSamples;

namespace Telehealth.Tests.Fhir;

public sealed class ObservationMappingTests
{
    private readonly FhirMapper _mapper = new();

    private Observation Single(Reading reading, ThresholdSet? thresholds = null) =>
        Assert.Single(_mapper.ToObservations([reading], _ => thresholds ?? ThresholdSet.Defaults));

    [Theory]
    [InlineData(DeviceType.PulseOximeter, "149530", "MDC_PULS_OXIM_PULS_RATE")]
    [InlineData(DeviceType.BloodPressureMonitor, "149546", "MDC_PULS_RATE_NON_INV")]
    [InlineData(DeviceType.BedSensor, "149546", "MDC_PULS_RATE_NON_INV")]
    [InlineData(null, "149546", "MDC_PULS_RATE_NON_INV")]
    public void Pulse_rate_carries_the_IEEE_11073_code_of_its_source_device(DeviceType? source, string mdc, string display)
    {
        var reading = Reading(VitalKind.HeartRate, 72);

        var observation = Assert.Single(_mapper.ToObservations([reading], _ => ThresholdSet.Defaults, _ => source));

        var coding = Assert.Single(observation.Code.Coding, c => c.System == "urn:iso:std:iso:11073:10101");
        Assert.Equal((mdc, display), (coding.Code, coding.Display));
        Assert.Equal("8867-4", observation.Code.Coding[0].Code);
    }

    [Theory]
    // kind, value, LOINC codes (in order), MDC code, UCUM code, unit text, category, profile
    [InlineData(VitalKind.HeartRate, 72, "8867-4", "149546", "/min", "beats/minute", "vital-signs", "http://hl7.org/fhir/StructureDefinition/heartrate")]
    [InlineData(VitalKind.Spo2, 97, "2708-6,59408-5", "150456", "%", "%", "vital-signs", "http://hl7.org/fhir/StructureDefinition/oxygensat")]
    [InlineData(VitalKind.BodyTemperature, 36.6, "8310-5", "150364", "Cel", "°C", "vital-signs", "http://hl7.org/fhir/StructureDefinition/bodytemp")]
    [InlineData(VitalKind.BodyWeight, 71.25, "29463-7", "188736", "kg", "kg", "vital-signs", "http://hl7.org/fhir/StructureDefinition/bodyweight")]
    [InlineData(VitalKind.RespiratoryRate, 16, "9279-1", "151562", "/min", "breaths/minute", "vital-signs", "http://hl7.org/fhir/StructureDefinition/resprate")]
    [InlineData(VitalKind.BloodGlucose, 5.4, "14743-9", "160184", "mmol/L", "mmol/L", "laboratory", null)]
    public void Vital_reading_has_exact_codes_unit_category_and_profile(
        VitalKind kind, double value, string loinc, string mdc, string ucum, string unit, string category, string? profile)
    {
        var observation = Single(Reading(kind, value));

        Assert.Equal(ObservationStatus.Final, observation.Status);
        var categoryCoding = Assert.Single(Assert.Single(observation.Category).Coding);
        Assert.Equal((FhirSystems.ObservationCategory, category), (categoryCoding.System, categoryCoding.Code));
        Assert.Equal(loinc.Split(','), observation.Code.Coding.Where(c => c.System == "http://loinc.org").Select(c => c.Code));
        Assert.Equal([mdc], observation.Code.Coding.Where(c => c.System == "urn:iso:std:iso:11073:10101").Select(c => c.Code));
        var quantity = Assert.IsType<Quantity>(observation.Value);
        Assert.Equal(((decimal)value, "http://unitsofmeasure.org", ucum, unit), (quantity.Value!.Value, quantity.System, quantity.Code, quantity.Unit));
        Assert.Equal("Patient/" + PatientId, observation.Subject.Reference);
        Assert.Equal("Patient/" + PatientId, Assert.Single(observation.Performer).Reference);
        Assert.Equal("Device/" + DeviceId, observation.Device.Reference);
        Assert.Equal("2025-03-01T09:30:15.250Z", Assert.IsType<FhirDateTime>(observation.Effective).Value);
        Assert.Equal(profile is null ? [] : ["http://hl7.org/fhir/StructureDefinition/vitalsigns", profile], observation.Meta?.Profile ?? []);
        Assert.Null(observation.DataAbsentReason);
        Assert.Empty(ObservationRules.Violations(observation));
    }

    [Theory]
    // Default thresholds: heart rate CL 40 / L 50 / H 100 / CH 130 (a bound belongs to the milder band).
    [InlineData(VitalKind.HeartRate, 39, "LL")]
    [InlineData(VitalKind.HeartRate, 40, "L")]
    [InlineData(VitalKind.HeartRate, 49.9, "L")]
    [InlineData(VitalKind.HeartRate, 50, "N")]
    [InlineData(VitalKind.HeartRate, 100, "N")]
    [InlineData(VitalKind.HeartRate, 100.5, "H")]
    [InlineData(VitalKind.HeartRate, 130, "H")]
    [InlineData(VitalKind.HeartRate, 131, "HH")]
    [InlineData(VitalKind.Spo2, 90, "LL")]
    [InlineData(VitalKind.Spo2, 93, "L")]
    [InlineData(VitalKind.Spo2, 100, "N")]
    [InlineData(VitalKind.BodyTemperature, 34.9, "LL")]
    [InlineData(VitalKind.BodyTemperature, 38.5, "H")]
    [InlineData(VitalKind.BodyTemperature, 39.2, "HH")]
    [InlineData(VitalKind.RespiratoryRate, 26, "HH")]
    [InlineData(VitalKind.BloodGlucose, 3.5, "L")]
    [InlineData(VitalKind.BloodGlucose, 2.9, "LL")]
    [InlineData(VitalKind.BloodGlucose, 21, "HH")]
    public void Interpretation_follows_the_default_threshold_bands(VitalKind kind, double value, string expected)
    {
        var coding = Assert.Single(Assert.Single(Single(Reading(kind, value)).Interpretation).Coding);

        Assert.Equal(("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", expected), (coding.System, coding.Code));
    }

    [Theory]
    // SpO2 89 %: default band (L 94, CL 91) says critical low; the personal band (CL 85, L 88, H 96) says normal.
    [InlineData(false, 89, "LL", 94.0, null, "Platform default alert thresholds: critical low 91 %, low 94 %")]
    [InlineData(true, 89, "N", 88.0, 96.0, "Personal alert thresholds: critical low 85 %, low 88 %, high 96 %")]
    [InlineData(true, 87, "L", 88.0, 96.0, "Personal alert thresholds: critical low 85 %, low 88 %, high 96 %")]
    [InlineData(true, 84, "LL", 88.0, 96.0, "Personal alert thresholds: critical low 85 %, low 88 %, high 96 %")]
    [InlineData(true, 97, "H", 88.0, 96.0, "Personal alert thresholds: critical low 85 %, low 88 %, high 96 %")]
    public void Interpretation_and_reference_range_come_from_the_thresholds_in_force(
        bool personal, double spo2, string interpretation, double? low, double? high, string text)
    {
        var observation = Single(Reading(VitalKind.Spo2, spo2), personal ? Personal : ThresholdSet.Defaults);

        Assert.Equal(interpretation, Assert.Single(Assert.Single(observation.Interpretation).Coding).Code);
        var range = Assert.Single(observation.ReferenceRange);
        Assert.Equal((decimal?)low, range.Low?.Value);
        Assert.Equal((decimal?)high, range.High?.Value);
        Assert.Equal(text, range.Text);
        Assert.Equal(("http://unitsofmeasure.org", "%"), (range.Low!.System, range.Low.Code));
    }

    [Fact]
    public void The_thresholds_used_are_those_at_each_readings_time()
    {
        var before = Reading(VitalKind.Spo2, 89, At);
        var after = Reading(VitalKind.Spo2, 89, At.AddDays(1));
        var changedAt = At.AddHours(12);

        var observations = _mapper.ToObservations([before, after], r => r.DeviceTime < changedAt ? ThresholdSet.Defaults : Personal);

        Assert.Equal(["LL", "N"], observations.Select(o => o.Interpretation.Single().Coding.Single().Code));
    }

    [Fact]
    public void Weight_without_a_threshold_has_no_interpretation_or_range()
    {
        var observation = Single(Reading(VitalKind.BodyWeight, 80));

        Assert.Empty(observation.Interpretation);
        Assert.Empty(observation.ReferenceRange);
    }

    [Theory]
    [InlineData(double.NaN, "not-a-number")]
    [InlineData(double.PositiveInfinity, "positive-infinity")]
    [InlineData(double.NegativeInfinity, "negative-infinity")]
    public void A_non_finite_value_becomes_a_data_absent_reason(double value, string reason)
    {
        var observation = Single(Reading(VitalKind.HeartRate, value));

        Assert.Null(observation.Value);
        Assert.Equal(reason, Assert.Single(observation.DataAbsentReason.Coding).Code);
        Assert.Empty(observation.Interpretation);
        Assert.Empty(ObservationRules.Violations(observation));
    }

    [Fact]
    public void Systolic_and_diastolic_of_the_same_device_and_time_become_one_panel_without_a_value()
    {
        var observations = _mapper.ToObservations(
            [Reading(VitalKind.SystolicBp, 182), Reading(VitalKind.HeartRate, 70), Reading(VitalKind.DiastolicBp, 95)],
            _ => ThresholdSet.Defaults);

        Assert.Equal([$"{DeviceId}.bp.1740821415250", $"{DeviceId}.hr.1740821415250"], observations.Select(o => o.Id));
        var panel = observations[0];
        Assert.Equal(["http://loinc.org|85354-9", "urn:iso:std:iso:11073:10101|150020"], panel.Code.Coding.Select(c => $"{c.System}|{c.Code}"));
        Assert.Null(panel.Value);
        Assert.Null(panel.DataAbsentReason);
        Assert.Equal(["http://hl7.org/fhir/StructureDefinition/vitalsigns", "http://hl7.org/fhir/StructureDefinition/bp"], panel.Meta.Profile);
        Assert.Equal(2, panel.Component.Count);
        Assert.Equal(["8480-6", "150021"], panel.Component[0].Code.Coding.Select(c => c.Code));
        Assert.Equal(["8462-4", "150022"], panel.Component[1].Code.Coding.Select(c => c.Code));
        Assert.Equal([182m, 95m], panel.Component.Select(c => ((Quantity)c.Value).Value!.Value));
        Assert.All(panel.Component, c => Assert.Equal("mm[Hg]", ((Quantity)c.Value).Code));
        // Default systolic H 160 / CH 200 → H; diastolic H 100 → N. Interpretation and range per component.
        Assert.Equal(["H", "N"], panel.Component.Select(c => c.Interpretation.Single().Coding.Single().Code));
        Assert.Equal([100m, 50m], panel.Component.Select(c => c.ReferenceRange.Single().Low.Value!.Value));
        Assert.Equal($"{DeviceId}|{PatientId}|1740821415250|85354-9|182/95", Assert.Single(panel.Identifier).Value);
        Assert.Empty(ObservationRules.Violations(panel));
    }

    [Theory]
    [InlineData(VitalKind.SystolicBp, 0, "120/-")]
    [InlineData(VitalKind.DiastolicBp, 1, "-/120")]
    public void A_lone_component_becomes_a_panel_whose_other_component_is_absent(VitalKind present, int presentIndex, string identifierValue)
    {
        var panel = Single(Reading(present, 120));

        Assert.Equal($"{DeviceId}.bp.1740821415250", panel.Id);
        var absent = panel.Component[1 - presentIndex];
        Assert.Null(absent.Value);
        Assert.Equal("unknown", absent.DataAbsentReason.Coding.Single().Code);
        Assert.Equal(120m, ((Quantity)panel.Component[presentIndex].Value).Value);
        Assert.EndsWith($"|85354-9|{identifierValue}", panel.Identifier.Single().Value);
        Assert.Empty(ObservationRules.Violations(panel));
    }

    [Fact]
    public void Blood_pressure_of_different_times_or_devices_is_not_paired()
    {
        var observations = _mapper.ToObservations(
            [
                Reading(VitalKind.SystolicBp, 120),
                Reading(VitalKind.DiastolicBp, 80, At.AddSeconds(1)),
                Reading(VitalKind.DiastolicBp, 81, deviceId: "dev-other23456"),
            ],
            _ => ThresholdSet.Defaults);

        Assert.Equal(3, observations.Count);
        Assert.All(observations, o => Assert.Single(o.Component, c => c.DataAbsentReason is not null));
    }

    [Fact]
    public void Same_input_gives_the_same_id_and_identifier_and_a_different_value_a_different_identifier()
    {
        var first = Single(Reading(VitalKind.HeartRate, 72));
        var again = Single(Reading(VitalKind.HeartRate, 72));
        var corrected = Single(Reading(VitalKind.HeartRate, 73));

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Identifier.Single().Value, again.Identifier.Single().Value);
        Assert.Equal(first.Id, corrected.Id);
        Assert.NotEqual(first.Identifier.Single().Value, corrected.Identifier.Single().Value);
        Assert.Equal(("urn:telehealth:fhir:id:observation", $"{DeviceId}|{PatientId}|1740821415250|8867-4|72"),
            (first.Identifier.Single().System, first.Identifier.Single().Value));
    }

    [Theory]
    [InlineData(TelecareEventType.FallDetected, "fall_detected", "Fall detected", true)]
    [InlineData(TelecareEventType.PendantPress, "pendant_press", "Pendant alarm pressed", false)]
    [InlineData(TelecareEventType.Inactivity, "inactivity", "No expected activity", true)]
    [InlineData(TelecareEventType.Smoke, "smoke", "Smoke alarm", false)]
    [InlineData(TelecareEventType.PowerFail, "power_fail", "Mains power failed", false)]
    public void Telecare_event_is_an_observation_with_our_code_and_a_true_value(TelecareEventType type, string code, string display, bool activity)
    {
        var observation = _mapper.ToObservation(Event(type));

        Assert.Equal($"{DeviceId}.ev-{code.Replace('_', '-')}.1740821415250", observation.Id);
        Assert.Equal(("urn:telehealth:fhir:id:observation", $"{DeviceId}|{PatientId}|1740821415250|{code}|true"),
            (observation.Identifier.Single().System, observation.Identifier.Single().Value));
        var coding = observation.Code.Coding.Single();
        Assert.Equal(("urn:telehealth:fhir:CodeSystem:telecare-event", code, display), (coding.System, coding.Code, coding.Display));
        var categories = observation.Category.Select(c => $"{c.Coding.Single().System}|{c.Coding.Single().Code}").ToArray();
        Assert.Equal(activity
                ? ["urn:telehealth:fhir:CodeSystem:observation-category|telecare-event", "http://terminology.hl7.org/CodeSystem/observation-category|activity"]
                : ["urn:telehealth:fhir:CodeSystem:observation-category|telecare-event"],
            categories);
        Assert.True(Assert.IsType<FhirBoolean>(observation.Value).Value);
        Assert.Equal("2025-03-01T09:30:15.250Z", ((FhirDateTime)observation.Effective).Value);
        Assert.Equal("Device/" + DeviceId, observation.Device.Reference);
        Assert.Empty(ObservationRules.Violations(observation));
    }
}
