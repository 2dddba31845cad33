// FHIR POCO properties are all nullable; a missing element makes the test fail with an exception, which is what we want.
#nullable disable warnings
using Hl7.Fhir.Model;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Devices;
using static Telehealth.Tests.Fhir.FhirSamples;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Telehealth.Tests.Fhir;

public sealed class ResourceMappingTests
{
    private readonly FhirMapper _mapper = new();

    [Fact]
    public void Patient_carries_our_identifier_the_nhs_number_name_and_birth_date()
    {
        var patient = _mapper.ToPatient(Patient());

        Assert.Equal(PatientId, patient.Id);
        Assert.Equal(
            [("urn:telehealth:fhir:id:patient", PatientId), ("https://fhir.nhs.uk/Id/nhs-number", "9434765919")],
            patient.Identifier.Select(i => (i.System, i.Value)));
        Assert.Equal("Ada Lovelace", Assert.Single(patient.Name).Text);
        Assert.Equal("1948-12-10", patient.BirthDate);
        Assert.True(patient.Active);
    }

    [Fact]
    public void Patient_without_nhs_number_or_birth_date_leaves_them_out()
    {
        var patient = _mapper.ToPatient(Patient(nhsNumber: null) with { DateOfBirth = null });

        Assert.Equal(["urn:telehealth:fhir:id:patient"], patient.Identifier.Select(i => i.System));
        Assert.Null(patient.BirthDate);
    }

    [Theory]
    [InlineData(DeviceType.PulseOximeter, "pulse_oximeter", "528388")]
    [InlineData(DeviceType.BloodPressureMonitor, "blood_pressure_monitor", "528391")]
    [InlineData(DeviceType.Thermometer, "thermometer", "528392")]
    [InlineData(DeviceType.WeighingScale, "weighing_scale", "528399")]
    [InlineData(DeviceType.Glucometer, "glucometer", "528401")]
    [InlineData(DeviceType.PendantAlarm, "pendant_alarm", null)]
    [InlineData(DeviceType.FallDetector, "fall_detector", null)]
    [InlineData(DeviceType.TelecareHub, "telecare_hub", null)]
    public void Device_has_our_type_code_and_the_mdc_specialization_where_the_phd_ig_applies(DeviceType type, string code, string? mdc)
    {
        var device = _mapper.ToDevice(Device(type));

        Assert.Equal(DeviceId, device.Id);
        Assert.Equal(DeviceId, device.SerialNumber);
        Assert.Equal(Hl7.Fhir.Model.Device.FHIRDeviceStatus.Active, device.Status);
        Assert.Equal(("urn:telehealth:fhir:id:device", DeviceId), (device.Identifier.Single().System, device.Identifier.Single().Value));
        Assert.Equal("Patient/" + PatientId, device.Patient.Reference);
        Assert.Equal(code, device.Type.Coding.Single(c => c.System == "urn:telehealth:fhir:CodeSystem:device-type").Code);
        Assert.Equal(mdc, device.Type.Coding.SingleOrDefault(c => c.System == "urn:iso:std:iso:11073:10101")?.Code);
        Assert.Equal(mdc, device.Specialization.SingleOrDefault()?.SystemType.Coding.Single().Code);
    }

    [Fact]
    public void A_collected_or_revoked_device_is_inactive_and_carries_what_staff_recorded()
    {
        var details = new DeviceDetails("Nonin 3150", "SN-501", "4.6");
        var collected = _mapper.ToDevice(Device(DeviceType.PulseOximeter) with { IsAssigned = false, Details = details });
        var revoked = _mapper.ToDevice(Device(DeviceType.PulseOximeter) with { RevokedAt = DateTimeOffset.UnixEpoch });

        Assert.Equal(Hl7.Fhir.Model.Device.FHIRDeviceStatus.Inactive, collected.Status);
        Assert.Null(collected.Patient);
        Assert.Equal(("SN-501", "Nonin 3150", "4.6"), (collected.SerialNumber, collected.ModelNumber, collected.Version.Single().Value));
        Assert.Equal(Hl7.Fhir.Model.Device.FHIRDeviceStatus.Inactive, revoked.Status);
        Assert.Equal("Patient/" + PatientId, revoked.Patient.Reference);
    }

    public static TheoryData<News2Risk, string, string> RiskCases => new()
    {
        { News2Risk.Low, "low", "low" },
        { News2Risk.LowMedium, "moderate", "low-medium" },
        { News2Risk.Medium, "moderate", "medium" },
        { News2Risk.High, "high", "high" },
    };

    [Theory]
    [MemberData(nameof(RiskCases))]
    public void Risk_band_maps_to_risk_probability_and_our_exact_band(News2Risk risk, string probability, string band)
    {
        var score = new News2Score(3, new Dictionary<News2Parameter, int>(), [], risk);
        var assessment = Assessment(Reading(VitalKind.HeartRate, 70)) with { Score = score };

        var qualitative = _mapper.ToRiskAssessment(assessment).Prediction.Single().QualitativeRisk;

        Assert.Equal(
            [("http://terminology.hl7.org/CodeSystem/risk-probability", probability), ("urn:telehealth:fhir:CodeSystem:news2-risk", band)],
            qualitative.Coding.Select(c => (c.System, c.Code)));
    }

    [Fact]
    public void Risk_assessment_basis_references_the_same_ids_the_observations_get()
    {
        var basis = new[]
        {
            Reading(VitalKind.Spo2, 93), Reading(VitalKind.HeartRate, 112),
            Reading(VitalKind.SystolicBp, 98, At.AddMinutes(-3), "dev-cuffcuff23"), Reading(VitalKind.BodyTemperature, 38.4, At.AddMinutes(-20), "dev-thermo2345"),
            Reading(VitalKind.RespiratoryRate, 22, At.AddMinutes(-1)),
        };
        var assessment = Assessment(basis);
        var observationIds = _mapper.ToObservations(basis, _ => ThresholdSet.Defaults).Select(o => $"Observation/{o.Id}");

        var resource = _mapper.ToRiskAssessment(assessment);

        Assert.Equal(observationIds.Order(), resource.Basis.Select(b => b.Reference).Order());
        Assert.Contains("Observation/dev-cuffcuff23.bp.1740821235250", resource.Basis.Select(b => b.Reference));
        Assert.Equal(assessment.Id, resource.Id);
        Assert.Equal(("urn:telehealth:fhir:id:news2-assessment", assessment.Id), (resource.Identifier.Single().System, resource.Identifier.Single().Value));
        Assert.Equal(ObservationStatus.Final, resource.Status);
        Assert.Equal(("http://snomed.info/sct", "1104051000000101"), (resource.Code.Coding.Single().System, resource.Code.Coding.Single().Code));
        Assert.Equal("2025-03-01T09:30:15.250Z", ((FhirDateTime)resource.Occurrence).Value);
        Assert.Equal("Patient/" + PatientId, resource.Subject.Reference);
    }

    [Fact]
    public void Partial_score_states_its_total_and_every_missing_parameter()
    {
        // SpO2 93 (2) + pulse 112 (2) = 4 with air known: missing respiration, systolic BP, consciousness, temperature.
        var resource = _mapper.ToRiskAssessment(Assessment(Reading(VitalKind.Spo2, 93), Reading(VitalKind.HeartRate, 112)));

        Assert.Equal(4, ((Integer)resource.GetExtensionValue<Integer>(TelehealthSystems.News2TotalScoreExtension)).Value);
        Assert.True(resource.GetExtensionValue<FhirBoolean>(TelehealthSystems.News2PartialExtension).Value);
        Assert.Equal(1, resource.GetExtensionValue<Integer>(TelehealthSystems.News2ScaleExtension).Value);
        Assert.Equal(["respiration_rate", "systolic_blood_pressure", "consciousness", "temperature"],
            resource.GetExtensions(TelehealthSystems.News2MissingParameterExtension).Select(e => ((Coding)e.Value).Code));
        Assert.Equal("NEWS2 total 4 (low), PARTIAL score (a lower bound): not measured: respiration rate, systolic blood pressure, consciousness, temperature.",
            resource.Note.Single().Text);
    }

    [Fact]
    public void Full_score_is_not_partial_and_lists_nothing_missing()
    {
        var score = new News2Score(7, new Dictionary<News2Parameter, int> { [News2Parameter.Pulse] = 3 }, [], News2Risk.High);
        var resource = _mapper.ToRiskAssessment(Assessment(Reading(VitalKind.HeartRate, 140)) with { Score = score });

        Assert.False(resource.GetExtensionValue<FhirBoolean>(TelehealthSystems.News2PartialExtension).Value);
        Assert.Empty(resource.GetExtensions(TelehealthSystems.News2MissingParameterExtension));
        Assert.Equal("NEWS2 total 7 (high).", resource.Note.Single().Text);
    }

    public static TheoryData<AlertCaseStatus, bool, Flag.FlagStatus, FhirTask.TaskStatus, bool> LifecycleCases => new()
    {
        // status, condition active → Flag status, Task status, period/execution end set
        { AlertCaseStatus.Open, true, Flag.FlagStatus.Active, FhirTask.TaskStatus.Requested, false },
        { AlertCaseStatus.Open, false, Flag.FlagStatus.Active, FhirTask.TaskStatus.Requested, false },
        { AlertCaseStatus.Acknowledged, true, Flag.FlagStatus.Active, FhirTask.TaskStatus.InProgress, false },
        { AlertCaseStatus.InFollowUp, true, Flag.FlagStatus.Active, FhirTask.TaskStatus.InProgress, false },
        { AlertCaseStatus.Resolved, false, Flag.FlagStatus.Inactive, FhirTask.TaskStatus.Completed, true },
    };

    [Theory]
    [MemberData(nameof(LifecycleCases))]
    public void Flag_and_task_status_follow_the_alert_lifecycle(
        AlertCaseStatus status, bool conditionActive, Flag.FlagStatus flagStatus, FhirTask.TaskStatus taskStatus, bool ended)
    {
        var alert = Alert(status, conditionActive);

        var flag = _mapper.ToFlag(alert);
        var task = _mapper.ToTask(alert)!;

        Assert.Equal(flagStatus, flag.Status);
        Assert.Equal(taskStatus, task.Status);
        Assert.Equal("2025-03-01T09:30:15.250Z", flag.Period.Start);
        // Ended when it was resolved (+30 min, when the condition cleared after the acknowledgement at +10 min).
        Assert.Equal(ended ? "2025-03-01T10:00:15.250Z" : null, flag.Period.End);
        Assert.Equal(ended ? "2025-03-01T10:00:15.250Z" : null, task.ExecutionPeriod?.End);
        Assert.Equal(status != AlertCaseStatus.Open ? "2025-03-01T09:40:15.250Z" : null, task.ExecutionPeriod?.Start);
    }

    [Fact]
    public void Flag_carries_the_condition_key_reason_category_and_ids()
    {
        var flag = _mapper.ToFlag(Alert(AlertCaseStatus.Open, true));

        Assert.Equal("alert-0f8fad5bd9cb469fa16570867728950e", flag.Id);
        Assert.Equal(("urn:telehealth:fhir:id:alert", "0f8fad5b-d9cb-469f-a165-70867728950e"), (flag.Identifier.Single().System, flag.Identifier.Single().Value));
        Assert.Equal(("urn:telehealth:fhir:CodeSystem:condition-key", "threshold:spo2"), (flag.Code.Coding.Single().System, flag.Code.Coding.Single().Code));
        Assert.Equal("SpO2 89 % below personal low 90 %", flag.Code.Text);
        Assert.Equal(("http://terminology.hl7.org/CodeSystem/flag-category", "clinical"), (flag.Category.Single().Coding.Single().System, flag.Category.Single().Coding.Single().Code));
        Assert.Equal("Patient/" + PatientId, flag.Subject.Reference);
    }

    [Theory]
    // condition key, severity → task? , priority
    [InlineData("threshold:spo2", AlertSeverity.Medium, false, null)]
    [InlineData("threshold:heart_rate", AlertSeverity.Low, false, null)]
    [InlineData("threshold:spo2", AlertSeverity.High, true, RequestPriority.Asap)]
    [InlineData("news2", AlertSeverity.Medium, true, RequestPriority.Urgent)]
    [InlineData("news2", AlertSeverity.High, true, RequestPriority.Asap)]
    [InlineData("news2", AlertSeverity.Critical, true, RequestPriority.Stat)]
    [InlineData("event:fall_detected", AlertSeverity.Critical, true, RequestPriority.Stat)]
    [InlineData("event:door_exit", AlertSeverity.Medium, true, RequestPriority.Urgent)]
    [InlineData("event:low_battery", AlertSeverity.Low, true, RequestPriority.Routine)]
    public void Which_alerts_get_a_follow_up_call_task_and_its_priority(string conditionKey, AlertSeverity severity, bool expectTask, RequestPriority? priority)
    {
        var alert = Alert(AlertCaseStatus.Open, true, severity, conditionKey);

        var task = _mapper.ToTask(alert);

        Assert.Equal(expectTask, task is not null);
        Assert.Equal(expectTask, FhirMapper.NeedsFollowUpCall(alert));
        Assert.Equal(priority, task?.Priority);
    }

    [Fact]
    public void Task_points_at_its_flag_and_patient_with_the_alert_times()
    {
        var task = _mapper.ToTask(Alert(AlertCaseStatus.Acknowledged, true, AlertSeverity.Critical, "event:fall_detected"))!;

        Assert.Equal("call-0f8fad5bd9cb469fa16570867728950e", task.Id);
        Assert.Equal(("urn:telehealth:fhir:id:follow-up-call", "0f8fad5b-d9cb-469f-a165-70867728950e"), (task.Identifier.Single().System, task.Identifier.Single().Value));
        Assert.Equal(FhirTask.TaskIntent.Order, task.Intent);
        Assert.Equal("Flag/alert-0f8fad5bd9cb469fa16570867728950e", task.Focus.Reference);
        Assert.Equal("Patient/" + PatientId, task.For.Reference);
        Assert.Equal("2025-03-01T09:30:15.250Z", task.AuthoredOn);
        Assert.Equal("2025-03-01T10:10:15.250Z", task.LastModified);
        Assert.Null(task.Owner);
        Assert.Equal("Call the person about: SpO2 89 % below personal low 90 %", task.Description);
        Assert.Equal("follow-up-call", task.Code.Coding.Single().Code);
    }
}
