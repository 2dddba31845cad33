namespace Telehealth.Fhir.Mapping;

/// <summary>
/// The platform's own URIs: code systems for concepts no public system covers, identifier systems for
/// our record ids, and extension URLs. All are URNs under <c>urn:telehealth:fhir:</c> so they can never
/// collide with a published system and need no web host. Listed in docs/fhir.md; never change a value once
/// data has been pushed with it (conditional updates match on identifier system + value).
/// </summary>
public static class TelehealthSystems
{
    private const string Root = "urn:telehealth:fhir:";

    // ── Code systems ────────────────────────────────────────────────────────────────────────────────
    /// <summary>Telecare event codes; code = device API wire name (pendant_press, fall_detected, …).</summary>
    public const string TelecareEventCodeSystem = Root + "CodeSystem:telecare-event";

    /// <summary>Our own Observation category for telecare events (code <c>telecare-event</c>).</summary>
    public const string ObservationCategoryCodeSystem = Root + "CodeSystem:observation-category";

    /// <summary>Device kinds; code = registry wire name (pulse_oximeter, pendant_alarm, …).</summary>
    public const string DeviceTypeCodeSystem = Root + "CodeSystem:device-type";

    /// <summary>Alert condition keys (threshold:spo2, news2, event:fall_detected, …).</summary>
    public const string ConditionKeyCodeSystem = Root + "CodeSystem:condition-key";

    /// <summary>NEWS2 parameters by name (respiration_rate, oxygen_saturation, …), used for missing parameters.</summary>
    public const string News2ParameterCodeSystem = Root + "CodeSystem:news2-parameter";

    /// <summary>NEWS2 risk bands exactly as RCP chart 2 names them: low, low-medium, medium, high.</summary>
    public const string News2RiskCodeSystem = Root + "CodeSystem:news2-risk";

    /// <summary>Task codes (follow-up-call).</summary>
    public const string TaskCodeSystem = Root + "CodeSystem:task-code";

    // ── Identifier systems ─────────────────────────────────────────────────────────────────────────
    /// <summary>ACVPU levels (alert, new_confusion, voice, pain, unresponsive) as values of a consciousness Observation.</summary>
    public const string AcvpuCodeSystem = Root + "CodeSystem:acvpu";

    public const string PatientIdentifier = Root + "id:patient";
    public const string DeviceIdentifier = Root + "id:device";
    public const string ObservationIdentifier = Root + "id:observation";
    public const string News2AssessmentIdentifier = Root + "id:news2-assessment";
    public const string AlertIdentifier = Root + "id:alert";
    public const string FollowUpCallIdentifier = Root + "id:follow-up-call";
    public const string GoalIdentifier = Root + "id:goal";
    public const string CarePlanIdentifier = Root + "id:care-plan";

    // ── Extensions ─────────────────────────────────────────────────────────────────────────────────
    /// <summary>RiskAssessment: the NEWS2 aggregate score (valueInteger).</summary>
    public const string News2TotalScoreExtension = Root + "StructureDefinition:news2-total-score";

    /// <summary>RiskAssessment: true when one or more parameters were not measured (valueBoolean).</summary>
    public const string News2PartialExtension = Root + "StructureDefinition:news2-partial";

    /// <summary>RiskAssessment: one per parameter that was not measured (valueCoding from the news2-parameter system).</summary>
    public const string News2MissingParameterExtension = Root + "StructureDefinition:news2-missing-parameter";

    /// <summary>RiskAssessment: SpO2 scale used, 1 or 2 (valueInteger).</summary>
    public const string News2ScaleExtension = Root + "StructureDefinition:news2-spo2-scale";
}
