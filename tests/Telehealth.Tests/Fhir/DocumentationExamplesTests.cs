using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Devices;
using static Telehealth.Tests.Fhir.FhirSamples;

namespace Telehealth.Tests.Fhir;

/// <summary>
/// docs/fhir.md shows real mapper output: every example there must equal what the mapper makes today.
/// Set FHIR_EXAMPLES_OUT to a folder to write the current examples out (to paste into the doc).
/// </summary>
public sealed class DocumentationExamplesTests
{
    private static readonly JsonSerializerOptions Pretty = new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.ForFhir(ModelInfo.ModelInspector);

    public static IReadOnlyList<(string Name, Resource Resource)> Examples()
    {
        var mapper = new FhirMapper();
        var spo2 = Reading(VitalKind.Spo2, 89);
        var pulse = Reading(VitalKind.HeartRate, 112);
        var systolic = Reading(VitalKind.SystolicBp, 98, At.AddMinutes(-3), "dev-cuffcuff23");
        var diastolic = Reading(VitalKind.DiastolicBp, 61, At.AddMinutes(-3), "dev-cuffcuff23");
        var observations = mapper.ToObservations([spo2, pulse, systolic, diastolic], _ => Personal);
        var alert = Alert(AlertCaseStatus.Acknowledged, true, AlertSeverity.High, "threshold:spo2");
        return
        [
            ("patient", mapper.ToPatient(Patient())),
            ("device", mapper.ToDevice(Device(DeviceType.PulseOximeter))),
            ("observation-spo2", observations[0]),
            ("observation-bp", observations[2]),
            ("observation-bp-lone", mapper.ToObservations([Reading(VitalKind.SystolicBp, 141, deviceId: "dev-cuffcuff23")], _ => ThresholdSet.Defaults)[0]),
            ("observation-glucose", mapper.ToObservations([Reading(VitalKind.BloodGlucose, 3.6, deviceId: "dev-glucose234")], _ => ThresholdSet.Defaults)[0]),
            ("observation-event", mapper.ToObservation(Event(TelecareEventType.FallDetected))),
            ("risk-assessment", mapper.ToRiskAssessment(Assessment(spo2, pulse, systolic))),
            ("flag", mapper.ToFlag(alert)),
            ("task", mapper.ToTask(alert)!),
        ];
    }

    [Fact]
    public void Every_example_in_docs_fhir_md_is_current_mapper_output()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "fhir.md")).ReplaceLineEndings("\n");
        var outDir = Environment.GetEnvironmentVariable("FHIR_EXAMPLES_OUT");
        var stale = new List<string>();
        foreach (var (name, resource) in Examples())
        {
            var json = JsonSerializer.Serialize(resource, Pretty).ReplaceLineEndings("\n");
            if (outDir is not null)
            {
                File.WriteAllText(Path.Combine(outDir, name + ".json"), json);
            }
            if (!doc.Contains(json, StringComparison.Ordinal))
            {
                stale.Add(name);
            }
        }

        Assert.Empty(stale);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telehealth.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Repository root (Telehealth.sln) not found above the test binaries.");
    }
}
