using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Devices;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Serialization;

namespace Telehealth.Tests.Fhir;

/// <summary>
/// The outbox's serializer writes exactly what Firely's SerializeToString writes: the outbox dedupes a resource version
/// by the hash of its text, so any drift (escaping, number format, order) would resend the whole history once.
/// </summary>
public sealed class CompactFhirJsonTests
{
    private static readonly FhirJsonSerializer Firely = new();
    private readonly FhirMapper _mapper = new();

    public static TheoryData<string> Cases => new()
    {
        "spo2", "heart_rate", "temperature", "weight", "glucose", "respiratory_rate", "bp_panel", "bp_lone_systolic",
        "fall_event", "news2", "flag", "task", "patient_ascii", "patient_escapes", "device",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes_what_firely_writes(string name)
    {
        var resource = Build(name);

        var compact = CompactFhirJson.Serialize(resource);

        Assert.Equal(Firely.SerializeToString(resource), compact);
    }

    [Fact]
    public void Successive_resources_on_one_thread_do_not_carry_text_over()
    {
        var large = (Patient)Build("patient_escapes");
        large.Name[0].Family = new string('x', 300_000) + "é<&>";
        var small = Build("spo2");

        var first = CompactFhirJson.Serialize(large);
        var second = CompactFhirJson.Serialize(small);
        var third = CompactFhirJson.Serialize(small);

        Assert.Equal(Firely.SerializeToString(large), first);
        Assert.Equal(Firely.SerializeToString(small), second);
        Assert.Equal(second, third);
    }

    private Resource Build(string name)
    {
        var thresholds = FhirSamples.Personal;
        return name switch
        {
            "spo2" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.Spo2, 86)], _ => thresholds)[0],
            "heart_rate" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.HeartRate, 131)], _ => thresholds, _ => DeviceType.PulseOximeter)[0],
            "temperature" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.BodyTemperature, 38.25)], _ => thresholds)[0],
            "weight" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.BodyWeight, 72.125)], _ => thresholds)[0],
            "glucose" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.BloodGlucose, 3.1)], _ => thresholds)[0],
            "respiratory_rate" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.RespiratoryRate, 26)], _ => thresholds)[0],
            "bp_panel" => _mapper.ToObservations(
                [FhirSamples.Reading(VitalKind.SystolicBp, 182), FhirSamples.Reading(VitalKind.DiastolicBp, 101)], _ => thresholds)[0],
            "bp_lone_systolic" => _mapper.ToObservations([FhirSamples.Reading(VitalKind.SystolicBp, 88)], _ => thresholds)[0],
            "fall_event" => _mapper.ToObservation(FhirSamples.Event(TelecareEventType.FallDetected)),
            "news2" => _mapper.ToRiskAssessment(FhirSamples.Assessment(
                FhirSamples.Reading(VitalKind.Spo2, 91), FhirSamples.Reading(VitalKind.HeartRate, 118), FhirSamples.Reading(VitalKind.BodyTemperature, 38.6))),
            "flag" => _mapper.ToFlag(FhirSamples.Alert(AlertCaseStatus.Open, conditionActive: true)),
            "task" => _mapper.ToTask(FhirSamples.Alert(AlertCaseStatus.Acknowledged, conditionActive: true))!,
            "patient_ascii" => _mapper.ToPatient(FhirSamples.Patient()),
            // Everything JSON may escape: quotes, HTML characters, control characters, line separators, non-BMP.
            "patient_escapes" => _mapper.ToPatient(FhirSamples.Patient() with { DisplayName = "Zoë \"Ó'Brien\" <&> \t\u0001 \u2028 \U0001F600 + /" }),
            "device" => _mapper.ToDevice(FhirSamples.Device(DeviceType.BloodPressureMonitor)),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };
    }
}
