using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Tests.Devices;

public sealed class DeviceCapabilitiesTests
{
    [Theory]
    [InlineData(DeviceType.PulseOximeter, "spo2,heart_rate,respiratory_rate")]
    [InlineData(DeviceType.BloodPressureMonitor, "systolic_bp,diastolic_bp,heart_rate")]
    [InlineData(DeviceType.Thermometer, "body_temperature")]
    [InlineData(DeviceType.WeighingScale, "body_weight")]
    [InlineData(DeviceType.Glucometer, "blood_glucose")]
    [InlineData(DeviceType.BedSensor, "heart_rate,respiratory_rate")]
    [InlineData(DeviceType.PendantAlarm, "")]
    [InlineData(DeviceType.FallDetector, "")]
    [InlineData(DeviceType.DoorSensor, "")]
    [InlineData(DeviceType.InactivitySensor, "")]
    [InlineData(DeviceType.SmokeDetector, "")]
    [InlineData(DeviceType.TelecareHub, "")]
    public void Each_type_sends_exactly_its_own_readings(DeviceType type, string readings)
    {
        var expected = readings.Length == 0 ? [] : readings.Split(',');
        Assert.Equal(expected, DeviceCapabilities.Readings(type).Select(k => k.WireName()));
        foreach (var kind in VitalKinds.All)
        {
            Assert.Equal(expected.Contains(kind.WireName()), type.MaySend(kind));
        }
    }

    [Theory]
    [InlineData(DeviceType.PulseOximeter, "low_battery")]
    [InlineData(DeviceType.BloodPressureMonitor, "low_battery")]
    [InlineData(DeviceType.Thermometer, "low_battery")]
    [InlineData(DeviceType.WeighingScale, "low_battery")]
    [InlineData(DeviceType.Glucometer, "low_battery")]
    [InlineData(DeviceType.PendantAlarm, "pendant_press,low_battery,tamper")]
    [InlineData(DeviceType.FallDetector, "fall_detected,inactivity,low_battery,tamper")]
    [InlineData(DeviceType.BedSensor, "bed_absence,low_battery,tamper")]
    [InlineData(DeviceType.DoorSensor, "door_exit,low_battery,tamper")]
    [InlineData(DeviceType.InactivitySensor, "inactivity,low_battery,tamper")]
    [InlineData(DeviceType.SmokeDetector, "smoke,carbon_monoxide,low_battery,tamper")]
    [InlineData(DeviceType.TelecareHub, "pendant_press,fall_detected,smoke,carbon_monoxide,flood,door_exit,bed_absence,inactivity,low_battery,tamper,power_fail")]
    public void Each_type_sends_exactly_its_own_events(DeviceType type, string events)
    {
        var expected = events.Split(',');
        Assert.Equal(expected, DeviceCapabilities.Events(type).Select(e => e.WireName()));
        foreach (var eventType in TelecareEventTypes.All)
        {
            Assert.Equal(expected.Contains(eventType.WireName()), type.MaySend(eventType));
        }
    }

    [Fact]
    public void Every_type_is_in_the_table()
    {
        foreach (var type in DeviceTypes.All)
        {
            Assert.NotEmpty(DeviceCapabilities.Readings(type).Cast<object>().Concat(DeviceCapabilities.Events(type).Cast<object>()));
        }
    }
}
