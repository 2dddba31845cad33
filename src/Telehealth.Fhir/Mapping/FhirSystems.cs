namespace Telehealth.Fhir.Mapping;

/// <summary>Code systems and identifier systems published by others (HL7, LOINC, IEEE, SNOMED, NHS England).</summary>
public static class FhirSystems
{
    public const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";
    public const string Snomed = "http://snomed.info/sct";

    /// <summary>IEEE 11073-10101 nomenclature (MDC). Codes are the 32-bit context-free form: partition × 65536 + term code.</summary>
    public const string Mdc = "urn:iso:std:iso:11073:10101";

    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    public const string ObservationInterpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    public const string DataAbsentReason = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
    public const string RiskProbability = "http://terminology.hl7.org/CodeSystem/risk-probability";
    public const string FlagCategory = "http://terminology.hl7.org/CodeSystem/flag-category";
    public const string GoalAchievement = "http://terminology.hl7.org/CodeSystem/goal-achievement";
    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>Core vital-signs profiles (R4) the vital Observations claim in meta.profile.</summary>
    public const string VitalSignsProfile = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
}
