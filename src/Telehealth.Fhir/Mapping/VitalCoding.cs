using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// How one vital kind is coded: LOINC (+ a second LOINC for SpO2), IEEE 11073 MDC where the PHD IG applies, UCUM
/// unit, category and the core profile it claims. MDC codes are the 32-bit context-free form the PHD IG uses.
/// </summary>
/// <param name="Profile">Core vital-signs profile URL; null for capillary glucose (a laboratory result, not a vital sign).</param>
public sealed record VitalCoding(
    VitalKind Kind,
    string Loinc,
    string LoincDisplay,
    string? SecondLoinc,
    string? SecondLoincDisplay,
    string? Mdc,
    string? MdcDisplay,
    string UcumCode,
    string UnitDisplay,
    string Category,
    string? Profile,
    string Text)
{
    public const string BloodPressurePanelLoinc = "85354-9";
    public const string BloodPressurePanelMdc = "150020";
    public const string BloodPressureProfile = "http://hl7.org/fhir/StructureDefinition/bp";

    /// <summary>MDC_PULS_OXIM_PULS_RATE: a pulse rate derived by a pulse oximeter (PHD IG, 11073-10404).</summary>
    public const string OximeterPulseRateMdc = "149530";

    /// <summary>
    /// The coding of a reading measured by a device of <paramref name="sourceType"/>. Only the pulse rate differs by
    /// source: IEEE 11073 names an oximeter's pulse rate MDC_PULS_OXIM_PULS_RATE (149530) and a cuff's (or any other
    /// non-invasive one's) MDC_PULS_RATE_NON_INV (149546), so a reader can tell how it was measured.
    /// </summary>
    public static VitalCoding For(VitalKind kind, DeviceType? sourceType) =>
        kind == VitalKind.HeartRate && sourceType == DeviceType.PulseOximeter
            ? For(kind) with { Mdc = OximeterPulseRateMdc, MdcDisplay = "MDC_PULS_OXIM_PULS_RATE" }
            : For(kind);

    /// <summary>The coding when the source device is not known (the pulse rate as MDC_PULS_RATE_NON_INV).</summary>
    public static VitalCoding For(VitalKind kind) => kind switch
    {
        VitalKind.HeartRate => new(kind, "8867-4", "Heart rate", null, null, "149546", "MDC_PULS_RATE_NON_INV",
            "/min", "beats/minute", "vital-signs", "http://hl7.org/fhir/StructureDefinition/heartrate", "Heart rate"),
        VitalKind.Spo2 => new(kind, "2708-6", "Oxygen saturation in Arterial blood", "59408-5",
            "Oxygen saturation in Arterial blood by Pulse oximetry", "150456", "MDC_PULS_OXIM_SAT_O2",
            "%", "%", "vital-signs", "http://hl7.org/fhir/StructureDefinition/oxygensat", "SpO2"),
        VitalKind.SystolicBp => new(kind, "8480-6", "Systolic blood pressure", null, null, "150021", "MDC_PRESS_BLD_NONINV_SYS",
            "mm[Hg]", "mmHg", "vital-signs", BloodPressureProfile, "Systolic blood pressure"),
        VitalKind.DiastolicBp => new(kind, "8462-4", "Diastolic blood pressure", null, null, "150022", "MDC_PRESS_BLD_NONINV_DIA",
            "mm[Hg]", "mmHg", "vital-signs", BloodPressureProfile, "Diastolic blood pressure"),
        VitalKind.BodyTemperature => new(kind, "8310-5", "Body temperature", null, null, "150364", "MDC_TEMP_BODY",
            "Cel", "°C", "vital-signs", "http://hl7.org/fhir/StructureDefinition/bodytemp", "Body temperature"),
        VitalKind.BodyWeight => new(kind, "29463-7", "Body weight", null, null, "188736", "MDC_MASS_BODY_ACTUAL",
            "kg", "kg", "vital-signs", "http://hl7.org/fhir/StructureDefinition/bodyweight", "Body weight"),
        VitalKind.RespiratoryRate => new(kind, "9279-1", "Respiratory rate", null, null, "151562", "MDC_RESP_RATE",
            "/min", "breaths/minute", "vital-signs", "http://hl7.org/fhir/StructureDefinition/resprate", "Respiratory rate"),
        // Home glucometers report mmol/L in the UK: 14743-9 is the molar capillary-glucometer code (41653-7 is mg/dL).
        VitalKind.BloodGlucose => new(kind, "14743-9", "Glucose [Moles/volume] in Capillary blood by Glucometer", null, null,
            "160184", "MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD", "mmol/L", "mmol/L", "laboratory", null, "Capillary blood glucose"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
