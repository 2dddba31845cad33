using Hl7.Fhir.Model;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.CareRecord.Devices;
using static Telehealth.Tests.Fhir.FhirSamples;

namespace Telehealth.Tests.Fhir;

/// <summary>
/// A large, deterministic sample of every resource the mapper makes: readings swept across every threshold band
/// under default and personal thresholds, BP pairs and lone components, non-finite values, every telecare event,
/// NEWS2 assessments over every subset of the five device parameters, alerts in every lifecycle state.
/// </summary>
internal static class FhirSampleGenerator
{
    // Values per kind chosen to land in every band of the default and the personal thresholds, plus fractions.
    private static readonly Dictionary<VitalKind, double[]> Sweep = new()
    {
        [VitalKind.HeartRate] = [30, 40, 45, 50, 72, 90.5, 100, 101, 130, 131, 180],
        [VitalKind.Spo2] = [70, 84, 85, 87, 88, 90, 91, 93, 94, 96, 97, 100],
        [VitalKind.SystolicBp] = [70, 90, 95, 100, 120, 160, 161, 200, 201, 240],
        [VitalKind.DiastolicBp] = [30, 40, 45, 50, 80, 100, 101, 120, 121, 140],
        [VitalKind.BodyTemperature] = [34.2, 35.0, 35.5, 36.0, 36.6, 38.0, 38.5, 39.1, 39.2, 41.05],
        [VitalKind.BodyWeight] = [41.3, 62, 80.25, 120, 180.7],
        [VitalKind.RespiratoryRate] = [6, 8, 10, 12, 16, 20, 22, 25, 26, 40],
        [VitalKind.BloodGlucose] = [1.8, 2.9, 3.0, 3.5, 4.0, 5.4, 11.0, 11.1, 20.0, 25.3],
    };

    public static IReadOnlyList<Resource> Generate()
    {
        var mapper = new FhirMapper();
        var resources = new List<Resource>();

        resources.Add(mapper.ToPatient(Patient()));
        resources.Add(mapper.ToPatient(Patient(nhsNumber: null) with { Id = "pat-second2345", DateOfBirth = null }));
        resources.AddRange(DeviceTypes.All.Select((type, i) => mapper.ToDevice(Device(type, $"dev-device{i:D4}"))));

        var readings = new List<Reading>();
        var minute = 0;
        DateTimeOffset Next() => At.AddMinutes(minute++);
        foreach (var (kind, values) in Sweep)
        {
            if (kind is VitalKind.SystolicBp or VitalKind.DiastolicBp)
            {
                continue;
            }
            foreach (var value in values)
            {
                readings.Add(Reading(kind, value, Next()));
            }
        }
        // BP: every systolic with every diastolic (pairs), then each value alone (lone components).
        foreach (var systolic in Sweep[VitalKind.SystolicBp])
        {
            foreach (var diastolic in Sweep[VitalKind.DiastolicBp])
            {
                var at = Next();
                readings.Add(Reading(VitalKind.SystolicBp, systolic, at, "dev-cuffcuff23"));
                readings.Add(Reading(VitalKind.DiastolicBp, diastolic, at, "dev-cuffcuff23"));
            }
        }
        readings.AddRange(Sweep[VitalKind.SystolicBp].Select(v => Reading(VitalKind.SystolicBp, v, Next(), "dev-cuffcuff23")));
        readings.AddRange(Sweep[VitalKind.DiastolicBp].Select(v => Reading(VitalKind.DiastolicBp, v, Next(), "dev-cuffcuff23")));
        foreach (var kind in VitalKinds.All)
        {
            foreach (var special in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            {
                readings.Add(Reading(kind, special, Next(), "dev-special234"));
            }
        }
        // The same readings on four days, alternately under default and personal thresholds, for two patients.
        var copies = Enumerable.Range(0, 4)
            .Select(day => readings.Select(r => r with { DeviceTime = r.DeviceTime.AddDays(day), PatientId = day % 2 == 0 ? PatientId : "pat-second2345" }).ToArray())
            .ToArray();
        for (var day = 0; day < copies.Length; day++)
        {
            resources.AddRange(mapper.ToObservations(copies[day], _ => day % 2 == 0 ? ThresholdSet.Defaults : Personal));
        }

        for (var i = 0; i < 60; i++)
        {
            resources.AddRange(TelecareEventTypes.All.Select(type => mapper.ToObservation(Event(type, At.AddHours(i)))));
        }

        resources.AddRange(Assessments(copies[0], News2Scale.Scale1).Concat(Assessments(copies[1], News2Scale.Scale2)).Select(mapper.ToRiskAssessment));

        foreach (var key in new[] { "threshold:spo2", "threshold:systolic_bp", "news2", "event:fall_detected", "event:low_battery", "event:door_exit" })
        {
            foreach (var severity in Enum.GetValues<AlertSeverity>())
            {
                foreach (var (status, active) in new[] { (AlertCaseStatus.Open, true), (AlertCaseStatus.Open, false), (AlertCaseStatus.Acknowledged, true), (AlertCaseStatus.Resolved, false) })
                {
                    var alert = Alert(status, active, severity, key, Guid.NewGuid());
                    resources.Add(mapper.ToFlag(alert));
                    if (mapper.ToTask(alert) is { } task)
                    {
                        resources.Add(task);
                    }
                }
            }
        }
        return resources;
    }

    /// <summary>Every non-empty subset of the five NEWS2 device parameters, for eight value sets.</summary>
    private static IEnumerable<News2Assessment> Assessments(IReadOnlyList<Reading> readings, News2Scale scale)
    {
        VitalKind[] parameters = [VitalKind.RespiratoryRate, VitalKind.Spo2, VitalKind.SystolicBp, VitalKind.HeartRate, VitalKind.BodyTemperature];
        var finite = readings.Where(r => double.IsFinite(r.Value)).ToArray();
        for (var offset = 0; offset < 8; offset++)
        {
            for (var mask = 1; mask < 1 << parameters.Length; mask++)
            {
                var basis = parameters
                    .Where((_, bit) => (mask & (1 << bit)) != 0)
                    .Select(kind => finite.Where(r => r.Kind == kind).ElementAt(offset))
                    .ToArray();
                yield return Assessment(scale, basis);
            }
        }
    }
}
