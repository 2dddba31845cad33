// FHIR POCO properties are all nullable; a missing element makes the test fail with an exception, which is what we want.
#nullable disable warnings
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Xunit.Abstractions;
using static Telehealth.Tests.Fhir.FhirSamples;

namespace Telehealth.Tests.Fhir;

/// <summary>Issue item 5: a large generated sample is valid FHIR and round-trips; the checks can fail.</summary>
public sealed class FhirValidationTests(ITestOutputHelper output)
{
    private readonly FhirMapper _mapper = new();

    [Fact]
    public void Every_generated_resource_round_trips_and_passes_sdk_validation_and_the_profile_rules()
    {
        var resources = FhirSampleGenerator.Generate();
        var ids = resources.Select(r => $"{r.TypeName}/{r.Id}").ToHashSet();
        var failures = new List<string>();

        foreach (var resource in resources)
        {
            var where = $"{resource.TypeName}/{resource.Id}";
            var json = FhirValidation.Serializer.SerializeToString(resource);
            Resource parsed;
            try
            {
                parsed = FhirValidation.StrictDeserializer.Deserialize<Resource>(json);
            }
            catch (DeserializationFailedException e)
            {
                failures.Add($"{where}: strict parse: {e.Message}");
                continue;
            }
            if (FhirValidation.Serializer.SerializeToString(parsed) != json)
            {
                failures.Add($"{where}: JSON differs after the round trip");
            }
            if (!parsed.IsExactly(resource))
            {
                failures.Add($"{where}: parsed resource differs from the original");
            }
            failures.AddRange(FhirValidation.StructuralErrors(parsed).Select(e => $"{where}: SDK: {e}"));
            if (!FhirIds.IsValidId(parsed.Id))
            {
                failures.Add($"{where}: id breaks the FHIR id rule");
            }
            if (parsed is Observation observation)
            {
                failures.AddRange(ObservationRules.Violations(observation).Select(v => $"{where}: {v}"));
            }
            if (parsed is RiskAssessment assessment)
            {
                failures.AddRange(assessment.Basis.Where(b => !ids.Contains(b.Reference)).Select(b => $"{where}: basis {b.Reference} is not a generated Observation"));
            }
        }

        var byType = resources.GroupBy(r => r.TypeName).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"Checked {resources.Count} resources ({string.Join(", ", byType)}); {failures.Count} failures.");
        Assert.Empty(failures.Take(20));
        Assert.Equal(resources.Count, ids.Count);
        Assert.True(resources.Count >= 2000, $"only {resources.Count} resources");
        // Exact composition, so a generator change that silently drops a kind is noticed.
        Assert.Equal(
            ["Device 12", "Flag 96", "Observation 1468", "Patient 2", "RiskAssessment 496", "Task 80"],
            byType);
    }

    public static TheoryData<string, string> BrokenObservations => new()
    {
        { "effective to the month", "vs-1" },
        { "no value and no reason", "vs-2" },
        { "component without value or reason", "vs-3" },
        { "empty reference range", "obs-3" },
        { "value and data absent reason", "obs-6" },
        { "component with value and reason", "obs-6" },
        { "panel with a value of its own for a component code", "obs-7" },
        { "no LOINC coding", "vs-loinc" },
        { "subject is not a Patient", "vs-subject" },
        { "quantity not UCUM", "vs-ucum" },
        { "vital-signs profile without category", "vs-category" },
    };

    [Theory]
    [MemberData(nameof(BrokenObservations))]
    public void A_broken_observation_is_caught_by_exactly_the_right_rule(string breakage, string rule)
    {
        var heartRate = _mapper.ToObservations([Reading(VitalKind.HeartRate, 72)], _ => ThresholdSet.Defaults).Single();
        var panel = _mapper.ToObservations([Reading(VitalKind.SystolicBp, 120), Reading(VitalKind.DiastolicBp, 80)], _ => ThresholdSet.Defaults).Single();
        Assert.Empty(ObservationRules.Violations(heartRate));
        Assert.Empty(ObservationRules.Violations(panel));
        var absent = new CodeableConcept(FhirSystems.DataAbsentReason, "unknown");

        var broken = breakage switch
        {
            "effective to the month" => With(heartRate, o => o.Effective = new FhirDateTime("2025-03")),
            "no value and no reason" => With(heartRate, o => o.Value = null),
            "component without value or reason" => With(panel, o => o.Component[1].Value = null),
            "empty reference range" => With(heartRate, o => o.ReferenceRange = [new Observation.ReferenceRangeComponent()]),
            "value and data absent reason" => With(heartRate, o => o.DataAbsentReason = absent),
            "component with value and reason" => With(panel, o => o.Component[0].DataAbsentReason = absent),
            "panel with a value of its own for a component code" => With(panel, o =>
            {
                o.Code = (CodeableConcept)o.Component[0].Code.DeepCopy();
                o.Value = new Quantity(120, "mm[Hg]", FhirSystems.Ucum);
            }),
            "no LOINC coding" => With(heartRate, o => o.Code = new CodeableConcept(FhirSystems.Snomed, "364075005")),
            "subject is not a Patient" => With(heartRate, o => o.Subject = new ResourceReference("Group/g1")),
            "quantity not UCUM" => With(heartRate, o => ((Quantity)o.Value).System = "http://example.org/units"),
            "vital-signs profile without category" => With(heartRate, o => o.Category = []),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };

        var violations = ObservationRules.Violations(broken);

        Assert.Equal([rule], violations.Select(v => v[..v.IndexOf(':')]).Distinct());
    }

    public static TheoryData<string> BrokenForTheSdk => new()
    {
        "observation without status",
        "observation without code",
        "id with forbidden characters",
        "flag without subject",
        "task without intent",
        "dateTime that is not a date",
    };

    [Theory]
    [MemberData(nameof(BrokenForTheSdk))]
    public void The_sdk_validation_catches_structural_breakage(string breakage)
    {
        var observation = _mapper.ToObservations([Reading(VitalKind.Spo2, 95)], _ => ThresholdSet.Defaults).Single();
        var alert = Alert(Telehealth.CareRecord.Alerting.AlertCaseStatus.Open, true, Telehealth.CareRecord.AlertSeverity.Critical, "news2");
        var flag = _mapper.ToFlag(alert);
        var task = _mapper.ToTask(alert);
        Assert.Empty(FhirValidation.StructuralErrors(observation));
        Assert.Empty(FhirValidation.StructuralErrors(flag));
        Assert.Empty(FhirValidation.StructuralErrors(task));

        Base broken = breakage switch
        {
            "observation without status" => With(observation, o => o.StatusElement = null),
            "observation without code" => With(observation, o => o.Code = null),
            "id with forbidden characters" => With(observation, o => o.Id = "dev_x:hr:1"),
            "flag without subject" => With(flag, f => f.Subject = null),
            "task without intent" => With(task, t => t.IntentElement = null),
            "dateTime that is not a date" => With(observation, o => o.Effective = new FhirDateTime("yesterday")),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage)),
        };

        Assert.NotEmpty(FhirValidation.StructuralErrors(broken));
    }

    [Theory]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"bogus":1}""")]
    [InlineData("""{"resourceType":"Observation","status":"finished","code":{"text":"x"}}""")]
    [InlineData("""{"resourceType":"Observation","status":"final","code":{"text":"x"},"valueQuantity":{"value":"72"}}""")]
    public void The_strict_parser_refuses_invalid_json(string json)
    {
        Assert.Throws<DeserializationFailedException>(() => FhirValidation.StrictDeserializer.Deserialize<Resource>(json));
    }

    private static T With<T>(T resource, Action<T> change) where T : Base
    {
        var copy = (T)resource.DeepCopy();
        change(copy);
        return copy;
    }
}
