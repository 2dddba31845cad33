using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace Telehealth.Fhir.Mapping;

/// <summary>
/// The core Observation and vital-signs profile invariants, written as plain predicates over the POCOs because the
/// FHIRPath-based validator (Firely.Fhir.Validation) is not available offline. Each rule is named by its invariant
/// key so a failure says which rule broke. Used by the validation test and by anything that wants to refuse a
/// resource before it leaves the platform.
/// </summary>
public static partial class ObservationRules
{
    /// <summary>The invariants checked, in the order <see cref="Violations"/> reports them.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["vs-1", "vs-2", "vs-3", "obs-3", "obs-6", "obs-7", "vs-category", "vs-loinc", "vs-subject", "vs-ucum"];

    /// <summary>Every rule the Observation breaks (empty when it passes), as "key: explanation".</summary>
    public static IReadOnlyList<string> Violations(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var problems = new List<string>();

        // vs-1: if effective[x] is a dateTime with a value, it is precise to the day.
        if (observation.Effective is FhirDateTime { Value: { } effective } && !DayPrecision().IsMatch(effective))
        {
            problems.Add($"vs-1: effectiveDateTime '{effective}' is not precise to the day");
        }
        // vs-2: (component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists()).
        if (observation.Component.Count == 0 && observation.HasMember.Count == 0
            && observation.DataAbsentReason is null && observation.Value is null)
        {
            problems.Add("vs-2: no value, no dataAbsentReason, no components and no members");
        }
        // vs-3: every component has a value or a dataAbsentReason.
        foreach (var (component, index) in observation.Component.Select((c, i) => (c, i)))
        {
            if (component.Value is null && component.DataAbsentReason is null)
            {
                problems.Add($"vs-3: component[{index}] has neither value nor dataAbsentReason");
            }
        }
        // obs-3: a referenceRange has at least low, high or text (top level and in components).
        var ranges = observation.ReferenceRange.Concat(observation.Component.SelectMany(c => c.ReferenceRange));
        if (ranges.Any(range => range.Low is null && range.High is null && string.IsNullOrEmpty(range.Text)))
        {
            problems.Add("obs-3: a referenceRange has no low, high or text");
        }
        // obs-6: dataAbsentReason only when there is no value (applied to components too).
        if (observation.DataAbsentReason is not null && observation.Value is not null)
        {
            problems.Add("obs-6: both value and dataAbsentReason");
        }
        if (observation.Component.Any(c => c.DataAbsentReason is not null && c.Value is not null))
        {
            problems.Add("obs-6: a component has both value and dataAbsentReason");
        }
        // obs-7: no top-level value when code equals a component's code.
        if (observation.Value is not null && observation.Component.Any(c => SharesCoding(c.Code, observation.Code)))
        {
            problems.Add("obs-7: top-level value although the code is also a component code");
        }

        if (IsVitalSign(observation))
        {
            if (observation.Code?.Coding.Any(c => c.System == FhirSystems.Loinc && !string.IsNullOrEmpty(c.Code)) != true)
            {
                problems.Add("vs-loinc: vital sign without a LOINC coding");
            }
            if (observation.Subject?.Reference?.StartsWith("Patient/", StringComparison.Ordinal) != true)
            {
                problems.Add("vs-subject: vital sign without a Patient subject");
            }
            var quantities = new[] { observation.Value }.Concat(observation.Component.Select(c => c.Value)).OfType<Quantity>();
            if (quantities.Any(q => q.System != FhirSystems.Ucum || string.IsNullOrEmpty(q.Code)))
            {
                problems.Add("vs-ucum: a Quantity is not a UCUM code");
            }
        }
        else if (observation.Meta?.Profile.Contains(FhirSystems.VitalSignsProfile) == true)
        {
            problems.Add("vs-category: claims the vital-signs profile without the vital-signs category");
        }
        return problems;
    }

    private static bool IsVitalSign(Observation observation) =>
        observation.Category.Any(c => c.Coding.Any(coding => coding.System == FhirSystems.ObservationCategory && coding.Code == "vital-signs"));

    private static bool SharesCoding(CodeableConcept? a, CodeableConcept? b) =>
        a is not null && b is not null && a.Coding.Any(x => b.Coding.Any(y => x.System == y.System && x.Code == y.Code));

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}")]
    private static partial Regex DayPrecision();
}
