using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>
/// The code and category of each Observation shape, learnt once from the mapper itself (by mapping a sample of
/// the shape), so <c>code</c> and <c>category</c> searches filter stored records before any threshold look-up or
/// mapping, and can never disagree with what the mapper writes.
/// </summary>
public sealed class ObservationCodes(FhirMapper mapper)
{
    private static readonly DateTimeOffset SampleTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly ConcurrentDictionary<ObservationShape, (CodeableConcept Code, IReadOnlyList<CodeableConcept> Categories)> _byShape = new();

    public CodeableConcept CodeOf(ObservationShape shape) => Sample(shape).Code;

    public IReadOnlyList<CodeableConcept> CategoriesOf(ObservationShape shape) => Sample(shape).Categories;

    private (CodeableConcept Code, IReadOnlyList<CodeableConcept> Categories) Sample(ObservationShape shape) =>
        _byShape.GetOrAdd(shape, s =>
        {
            var observation = s switch
            {
                { Consciousness: true } => mapper.ToObservation(
                    new ConsciousnessObservation("pat-sample", AcvpuLevel.Alert, SampleTime, SampleTime, DeviceId: "dev-sample")),
                { Event: { } type } => mapper.ToObservation(new TelecareEvent("dev-sample", "pat-sample", type, SampleTime, SampleTime)),
                { BloodPressurePanel: true } => mapper.ToObservations(
                    [Reading(VitalKind.SystolicBp, 120), Reading(VitalKind.DiastolicBp, 80)], _ => ThresholdSet.Defaults).Single(),
                { Vital: { } kind } => mapper.ToObservations([Reading(kind, 1)], _ => ThresholdSet.Defaults).Single(),
                _ => throw new ArgumentOutOfRangeException(nameof(shape)),
            };
            return (observation.Code, observation.Category.ToList());
        });

    private static Reading Reading(VitalKind kind, double value) => new("dev-sample", "pat-sample", kind, value, SampleTime, SampleTime);
}
