using System.Text.Json;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;

namespace Telehealth.Fhir.Serialization;

/// <summary>
/// The Observation of one vital reading written straight to JSON: character for character what <see cref="FhirMapper"/>
/// makes and <see cref="CompactFhirJson"/> writes (the outbox dedupes by the text's hash), without building Firely's
/// object model and walking it. Every reading goes through here, and the two steps were about 30 µs of CPU per reading
/// in the embedded platform. Only the common shape is written here: a finite value of a kind other than blood
/// pressure; anything else (a panel, a data-absent reason) is left to the mapper (<see cref="TryWrite"/> answers null).
/// Element order is FHIR R4's, as Firely writes it. <c>VitalObservationJsonTests</c> compares both for every kind.
/// </summary>
public static class VitalObservationJson
{
    /// <summary>The JSON of the Observation with <paramref name="id"/>, or null where the mapper must make it.</summary>
    public static string? TryWrite(string id, Reading reading, ThresholdSet thresholds, DeviceType? sourceType)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (reading.Kind is VitalKind.SystolicBp or VitalKind.DiastolicBp || !double.IsFinite(reading.Value))
        {
            return null;
        }
        var coding = VitalCoding.For(reading.Kind, sourceType);
        return CompactFhirJson.Write((id, reading, thresholds, coding), static (writer, state) => Write(writer, state.id, state.reading, state.thresholds, state.coding));
    }

    private static void Write(Utf8JsonWriter writer, string id, Reading reading, ThresholdSet thresholds, VitalCoding coding)
    {
        var identifier = FhirIdentifiers.Observation(reading);
        var patientReference = "Patient/" + FhirIds.Patient(reading.PatientId);
        writer.WriteStartObject();
        writer.WriteString("resourceType", "Observation");
        writer.WriteString("id", id);
        if (coding.Profile is { } profile)
        {
            writer.WriteStartObject("meta");
            writer.WriteStartArray("profile");
            writer.WriteStringValue(FhirSystems.VitalSignsProfile);
            writer.WriteStringValue(profile);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteStartArray("identifier");
        writer.WriteStartObject();
        writer.WriteString("system", identifier.System);
        writer.WriteString("value", identifier.Value);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("status", "final");

        writer.WriteStartArray("category");
        writer.WriteStartObject();
        writer.WriteStartArray("coding");
        WriteCoding(writer, FhirSystems.ObservationCategory, coding.Category, null);
        writer.WriteEndArray();
        writer.WriteString("text", coding.Category == "vital-signs" ? "Vital Signs" : "Laboratory");
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("code");
        writer.WriteStartArray("coding");
        WriteCoding(writer, FhirSystems.Loinc, coding.Loinc, coding.LoincDisplay);
        if (coding.SecondLoinc is not null)
        {
            WriteCoding(writer, FhirSystems.Loinc, coding.SecondLoinc, coding.SecondLoincDisplay);
        }
        if (coding.Mdc is not null)
        {
            WriteCoding(writer, FhirSystems.Mdc, coding.Mdc, coding.MdcDisplay);
        }
        writer.WriteEndArray();
        WriteOptional(writer, "text", coding.Text);
        writer.WriteEndObject();

        WriteReference(writer, "subject", patientReference);
        writer.WriteString("effectiveDateTime", FhirMapper.DateTimeText(reading.DeviceTime));
        writer.WriteStartArray("performer");
        writer.WriteStartObject();
        writer.WriteString("reference", patientReference);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WritePropertyName("valueQuantity");
        WriteQuantity(writer, reading.Value, coding);
        var threshold = thresholds.For(reading.Kind);
        if (threshold is not null)
        {
            var (code, display) = FhirMapper.InterpretationCode(threshold.Classify(reading.Value));
            writer.WriteStartArray("interpretation");
            writer.WriteStartObject();
            writer.WriteStartArray("coding");
            WriteCoding(writer, FhirSystems.ObservationInterpretation, code, display);
            writer.WriteEndArray();
            writer.WriteString("text", display);
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        WriteReference(writer, "device", "Device/" + FhirIds.Device(reading.DeviceId));
        // As FhirMapper.ReferenceRange: none when the threshold has no bound at all.
        if (threshold is not null && threshold is not { Low: null, High: null, CriticalLow: null, CriticalHigh: null })
        {
            writer.WriteStartArray("referenceRange");
            writer.WriteStartObject();
            if (threshold.Low is { } low)
            {
                writer.WritePropertyName("low");
                WriteQuantity(writer, low, coding);
            }
            if (threshold.High is { } high)
            {
                writer.WritePropertyName("high");
                WriteQuantity(writer, high, coding);
            }
            writer.WriteString("text", FhirMapper.ThresholdText(threshold, thresholds.IsPersonal(reading.Kind), coding));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteCoding(Utf8JsonWriter writer, string system, string code, string? display)
    {
        writer.WriteStartObject();
        writer.WriteString("system", system);
        writer.WriteString("code", code);
        WriteOptional(writer, "display", display);
        writer.WriteEndObject();
    }

    private static void WriteQuantity(Utf8JsonWriter writer, double value, VitalCoding coding)
    {
        writer.WriteStartObject();
        // The mapper's Quantity holds (decimal)value, and Firely writes the decimal as it is.
        writer.WriteNumber("value", (decimal)value);
        writer.WriteString("unit", coding.UnitDisplay);
        writer.WriteString("system", FhirSystems.Ucum);
        writer.WriteString("code", coding.UcumCode);
        writer.WriteEndObject();
    }

    private static void WriteReference(Utf8JsonWriter writer, string name, string reference)
    {
        writer.WriteStartObject(name);
        writer.WriteString("reference", reference);
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(name, value);
        }
    }
}
