using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using static Telehealth.Tests.Fhir.FhirSamples;

namespace Telehealth.Tests.Fhir;

public sealed class FhirIdsTests
{
    [Theory]
    [InlineData(VitalKind.HeartRate, "dev-abcdefgh23.hr.1740821415250", ObservationKeyKind.Vital)]
    [InlineData(VitalKind.Spo2, "dev-abcdefgh23.spo2.1740821415250", ObservationKeyKind.Vital)]
    [InlineData(VitalKind.SystolicBp, "dev-abcdefgh23.bp.1740821415250", ObservationKeyKind.BloodPressurePanel)]
    [InlineData(VitalKind.DiastolicBp, "dev-abcdefgh23.bp.1740821415250", ObservationKeyKind.BloodPressurePanel)]
    [InlineData(VitalKind.BodyTemperature, "dev-abcdefgh23.temp.1740821415250", ObservationKeyKind.Vital)]
    [InlineData(VitalKind.BodyWeight, "dev-abcdefgh23.wt.1740821415250", ObservationKeyKind.Vital)]
    [InlineData(VitalKind.RespiratoryRate, "dev-abcdefgh23.rr.1740821415250", ObservationKeyKind.Vital)]
    [InlineData(VitalKind.BloodGlucose, "dev-abcdefgh23.glu.1740821415250", ObservationKeyKind.Vital)]
    public void Reading_ids_are_built_and_parsed_back_to_the_store_key(VitalKind kind, string id, ObservationKeyKind keyKind)
    {
        Assert.Equal(id, FhirIds.Observation(Reading(kind, 1)));

        Assert.True(FhirIds.TryParseObservationId(id, out ObservationKey? key));
        Assert.Equal((keyKind, DeviceId, At), (key.Kind, key.DeviceId, key.DeviceTime));
        Assert.Equal(keyKind == ObservationKeyKind.BloodPressurePanel ? [VitalKind.SystolicBp, VitalKind.DiastolicBp] : [kind], key.ReadingKinds);
        Assert.True(FhirIds.IsValidId(id));
    }

    [Fact]
    public void Every_event_type_round_trips_through_its_id()
    {
        foreach (var type in TelecareEventTypes.All)
        {
            var id = FhirIds.Observation(Event(type));

            Assert.True(FhirIds.IsValidId(id), id);
            Assert.True(FhirIds.TryParseObservationId(id, out ObservationKey? key), id);
            Assert.Equal((ObservationKeyKind.TelecareEvent, type, DeviceId, At), (key.Kind, key.EventType!.Value, key.DeviceId, key.DeviceTime));
            Assert.Empty(key.ReadingKinds);
        }
    }

    [Fact]
    public void The_three_part_parser_gives_device_kind_and_time()
    {
        Assert.True(FhirIds.TryParseObservationId("dev-abcdefgh23.bp.1740821415250", out var deviceId, out var kind, out var deviceTime));

        Assert.Equal((DeviceId, ObservationKeyKind.BloodPressurePanel, At), (deviceId, kind, deviceTime));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dev-abcdefgh23.hr")]
    [InlineData("dev-abcdefgh23.hr.17408214152500.x")]
    [InlineData("dev-abcdefgh23.sys.1740821415250")]
    [InlineData("dev-abcdefgh23.hr.abc")]
    [InlineData("dev-abcdefgh23.hr.01740821415250")]
    [InlineData("dev-abcdefgh23.hr.99999999999999999")]
    [InlineData(".hr.1740821415250")]
    [InlineData("dev-abcdefgh23.ev-unknown.1740821415250")]
    [InlineData("alert-0f8fad5bd9cb469fa16570867728950e")]
    public void Anything_else_is_not_an_observation_id(string? id)
    {
        Assert.False(FhirIds.TryParseObservationId(id, out ObservationKey? _));
    }

    [Fact]
    public void Flag_and_task_ids_carry_the_alert_guid_and_parse_back()
    {
        var alertId = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal("alert-0f8fad5bd9cb469fa16570867728950e", FhirIds.Flag(alertId));
        Assert.Equal("call-0f8fad5bd9cb469fa16570867728950e", FhirIds.Task(alertId));
        Assert.True(FhirIds.TryParseFlagId(FhirIds.Flag(alertId), out var fromFlag));
        Assert.True(FhirIds.TryParseTaskId(FhirIds.Task(alertId), out var fromTask));
        Assert.Equal((alertId, alertId), (fromFlag, fromTask));
        Assert.False(FhirIds.TryParseFlagId(FhirIds.Task(alertId), out _));
        Assert.False(FhirIds.TryParseTaskId(FhirIds.Flag(alertId), out _));
        Assert.False(FhirIds.TryParseFlagId("alert-0F8FAD5BD9CB469FA16570867728950E", out _));
        Assert.False(FhirIds.TryParseFlagId("alert-xyz", out _));
    }

    [Theory]
    [InlineData("dev_bad")]
    [InlineData("dev.bad")]
    [InlineData("")]
    public void A_device_id_that_cannot_be_part_of_an_id_is_refused(string deviceId)
    {
        Assert.Throws<ArgumentException>(() => FhirIds.Observation(Reading(VitalKind.HeartRate, 70, deviceId: deviceId)));
    }
}
