using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telehealth.CareRecord.Devices;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Outbox;
using Telehealth.Fhir.Serialization;

namespace Telehealth.Tests.Fhir;

/// <summary>
/// A vital reading's Observation written straight to JSON is what the mapper makes and Firely writes, byte for byte
/// (the outbox dedupes by the text's hash), and valid FHIR: for readings of every kind, every source device, values in
/// every band and with many digits, under default, personal, critical-only and empty thresholds, and none (weight by default). What the
/// direct writer does not cover (blood-pressure panels, non-finite values) still comes out as the mapper's.
/// </summary>
public sealed class VitalObservationJsonTests
{
    private static readonly FhirJsonSerializer Firely = new();
    private readonly FhirMapper _mapper = new();

    /// <summary>Thresholds by name: the platform's (none for weight), a person's, only critical bounds, and no bound at all.</summary>
    private static readonly Dictionary<string, ThresholdSet> Thresholds = new()
    {
        ["defaults"] = ThresholdSet.Defaults,
        ["personal"] = FhirSamples.Personal,
        ["critical-only"] = ThresholdSet.Defaults.WithOverrides(
            [.. Enum.GetValues<VitalKind>().Select(kind => new VitalThreshold(kind, CriticalLow: 10, Low: null, High: null, CriticalHigh: 200))]),
        ["no-bounds"] = ThresholdSet.Defaults.WithOverrides(
            [.. Enum.GetValues<VitalKind>().Select(kind => new VitalThreshold(kind, null, null, null, null))]),
    };

    private static readonly double[] Values = [0, 0.1, 5.25, 34.9, 36.6, 37.0, 38.45, 40, 49.5, 72, 86, 88, 92.5, 96, 99, 100, 131, 180.25, 250, 1234.5678, 1e-7, 123456789.125];

    public static TheoryData<string> ThresholdNames => [.. Thresholds.Keys];

    [Theory]
    [MemberData(nameof(ThresholdNames))]
    public void Every_kind_source_and_value_is_written_as_Firely_writes_the_mapped_Observation(string thresholds)
    {
        var set = Thresholds[thresholds];
        var kinds = Enum.GetValues<VitalKind>().Where(kind => kind is not (VitalKind.SystolicBp or VitalKind.DiastolicBp)).ToArray();
        DeviceType?[] sources = [null, .. Enum.GetValues<DeviceType>().Cast<DeviceType?>()];
        var written = 0;
        foreach (var kind in kinds)
        {
            foreach (var source in sources)
            {
                foreach (var value in Values)
                {
                    var reading = FhirSamples.Reading(kind, value);
                    var observation = _mapper.ToObservations([reading], _ => set, _ => source)[0];

                    var json = VitalObservationJson.TryWrite(FhirIds.Observation(reading), reading, set, source);

                    Assert.Equal(Firely.SerializeToString(observation), json);
                    written++;
                }
            }
        }
        Assert.Equal(kinds.Length * sources.Length * Values.Length, written);
    }

    [Fact]
    public void What_it_writes_parses_strictly_and_validates()
    {
        foreach (var kind in Enum.GetValues<VitalKind>().Where(kind => kind is not (VitalKind.SystolicBp or VitalKind.DiastolicBp)))
        {
            var reading = FhirSamples.Reading(kind, 36.6);
            var json = VitalObservationJson.TryWrite(FhirIds.Observation(reading), reading, FhirSamples.Personal, DeviceType.PulseOximeter)!;

            var parsed = FhirValidation.StrictDeserializer.Deserialize<Observation>(json);

            Assert.Empty(FhirValidation.StructuralErrors(parsed));
            Assert.Equal(FhirIds.Observation(reading), parsed.Id);
        }
    }

    [Theory]
    [InlineData(VitalKind.SystolicBp, 120)]
    [InlineData(VitalKind.DiastolicBp, 80)]
    [InlineData(VitalKind.Spo2, double.NaN)]
    [InlineData(VitalKind.HeartRate, double.PositiveInfinity)]
    [InlineData(VitalKind.BodyTemperature, double.NegativeInfinity)]
    public void A_panel_half_or_a_non_finite_value_is_left_to_the_mapper(VitalKind kind, double value)
    {
        var reading = FhirSamples.Reading(kind, value);

        Assert.Null(VitalObservationJson.TryWrite(FhirIds.Observation(reading), reading, ThresholdSet.Defaults, null));
    }

    [Fact]
    public void A_persons_readings_become_the_same_outbox_items_in_the_same_order_as_mapped_and_serialized()
    {
        var at = FhirSamples.At;
        IReadOnlyList<Reading> readings =
        [
            FhirSamples.Reading(VitalKind.Spo2, 94, at),
            FhirSamples.Reading(VitalKind.SystolicBp, 150, at.AddSeconds(1)),
            FhirSamples.Reading(VitalKind.HeartRate, 131, at),
            FhirSamples.Reading(VitalKind.DiastolicBp, 95, at.AddSeconds(1)),
            FhirSamples.Reading(VitalKind.Spo2, double.NaN, at.AddSeconds(2)),
            FhirSamples.Reading(VitalKind.DiastolicBp, 70, at.AddSeconds(3)),
            FhirSamples.Reading(VitalKind.Spo2, 94, at),
            FhirSamples.Reading(VitalKind.HeartRate, 60, at.AddSeconds(4), deviceId: "dev-other00001"),
            FhirSamples.Reading(VitalKind.BodyWeight, 81.4, at.AddSeconds(5)),
        ];
        ThresholdSet ThresholdsAt(Reading reading) => reading.DeviceTime > at.AddSeconds(2) ? ThresholdSet.Defaults : FhirSamples.Personal;
        DeviceType? SourceOf(string deviceId) => deviceId == FhirSamples.DeviceId ? DeviceType.PulseOximeter : null;

        var items = FhirOutboxItems.ForReadings(FhirSamples.PatientId, readings, ThresholdsAt, SourceOf);

        var expected = _mapper.ToObservations(readings, ThresholdsAt, SourceOf).Select(o => FhirOutboxItems.Create(FhirSamples.PatientId, o)).ToArray();
        Assert.Equal(7, expected.Length);
        Assert.Equal(expected, items);
    }
}
