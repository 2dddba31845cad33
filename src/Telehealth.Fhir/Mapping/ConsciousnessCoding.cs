using Hl7.Fhir.Model;
using Telehealth.Contracts.Observations;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// Codes for an ACVPU assessment (NEWS2 consciousness). The Observation code is LOINC 67775-7 "Level of
/// responsiveness", the AVPU observable LOINC publishes (80288-4 is also seen in the wild; 67775-7 is the one with the
/// AVPU answer list). Values carry the platform's ACVPU code (always) and, for A, V, P and U, the SNOMED CT findings
/// used for AVPU value sets; "new confusion" has no AVPU finding, so it carries text and the platform code only.
/// </summary>
public static class ConsciousnessCoding
{
    public const string Loinc = "67775-7";
    public const string LoincDisplay = "Level of responsiveness";

    public static string Display(AcvpuLevel level) => level switch
    {
        AcvpuLevel.Alert => "Alert",
        AcvpuLevel.NewConfusion => "New confusion",
        AcvpuLevel.Voice => "Responds to voice",
        AcvpuLevel.Pain => "Responds to pain",
        AcvpuLevel.Unresponsive => "Unresponsive",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>SNOMED CT finding for the level, null for new confusion.</summary>
    public static string? Snomed(AcvpuLevel level) => level switch
    {
        AcvpuLevel.Alert => "248234008",        // Mentally alert
        AcvpuLevel.Voice => "300202002",        // Responds to voice
        AcvpuLevel.Pain => "450847001",         // Responds to pain
        AcvpuLevel.Unresponsive => "422768004", // Unresponsive
        _ => null,
    };

    public static CodeableConcept Value(AcvpuLevel level)
    {
        var display = Display(level);
        var concept = new CodeableConcept(TelehealthSystems.AcvpuCodeSystem, level.WireName(), display, display);
        if (Snomed(level) is { } snomed)
        {
            concept.Coding.Add(new Coding(FhirSystems.Snomed, snomed, display));
        }
        return concept;
    }
}
