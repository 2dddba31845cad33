using System.Text.Json;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;
using Telehealth.Simulation.Payloads;
using Telehealth.Simulation.Scenarios;

namespace Telehealth.Tests.Simulation;

public sealed class DevicePayloadWriterTests
{
    private static readonly DateTimeOffset MeasuredAt = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

    [Fact]
    public void Readings_are_a_SenML_pack_with_base_name_and_time_on_the_first_record_only()
    {
        var json = DevicePayloadWriter.Readings("dev-ab12", MeasuredAt,
        [
            new SimulatedReading(VitalKind.HeartRate, 72),
            new SimulatedReading(VitalKind.Spo2, 97),
            new SimulatedReading(VitalKind.BodyTemperature, 37.4),
        ]);

        using var document = JsonDocument.Parse(json);
        var records = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, records.Length);
        Assert.Equal("urn:dev:id:dev-ab12:", records[0].GetProperty("bn").GetString());
        Assert.Equal(1_795_000_000.123m, records[0].GetProperty("bt").GetDecimal());
        Assert.Equal(["bn", "bt", "n", "u", "v"], records[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["n", "u", "v"], records[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["n", "u", "v"], records[2].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["heart_rate", "spo2", "body_temperature"], records.Select(r => r.GetProperty("n").GetString()));
        Assert.Equal(["beat/min", "%", "Cel"], records.Select(r => r.GetProperty("u").GetString()));
        Assert.Equal([72.0, 97.0, 37.4], records.Select(r => r.GetProperty("v").GetDouble()));
    }

    [Theory]
    [InlineData(VitalKind.HeartRate, "heart_rate", "beat/min")]
    [InlineData(VitalKind.Spo2, "spo2", "%")]
    [InlineData(VitalKind.SystolicBp, "systolic_bp", "mm[Hg]")]
    [InlineData(VitalKind.DiastolicBp, "diastolic_bp", "mm[Hg]")]
    [InlineData(VitalKind.BodyTemperature, "body_temperature", "Cel")]
    [InlineData(VitalKind.BodyWeight, "body_weight", "kg")]
    [InlineData(VitalKind.RespiratoryRate, "respiratory_rate", "1/min")]
    [InlineData(VitalKind.BloodGlucose, "blood_glucose", "mmol/L")]
    public void Every_kind_is_written_with_its_device_API_name_and_unit(VitalKind kind, string name, string unit)
    {
        using var document = JsonDocument.Parse(DevicePayloadWriter.Readings("d1", MeasuredAt, [new SimulatedReading(kind, 5.5)]));
        var record = document.RootElement[0];

        Assert.Equal(name, record.GetProperty("n").GetString());
        Assert.Equal(unit, record.GetProperty("u").GetString());
        Assert.Equal(5.5, record.GetProperty("v").GetDouble());
    }

    [Theory]
    [InlineData(1_795_000_000_000, "1795000000")]
    [InlineData(1_795_000_000_250, "1795000000.25")]
    [InlineData(1_795_000_000_001, "1795000000.001")]
    public void Times_are_unix_seconds_with_exact_milliseconds(long unixMilliseconds, string expectedText)
    {
        var json = DevicePayloadWriter.Status(87, DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds));

        Assert.Equal($$"""{"battery":87,"t":{{expectedText}}}""", System.Text.Encoding.UTF8.GetString(json));
    }

    [Theory]
    [InlineData(TelecareEventType.FallDetected, "fall_detected")]
    [InlineData(TelecareEventType.PendantPress, "pendant_press")]
    [InlineData(TelecareEventType.Inactivity, "inactivity")]
    [InlineData(TelecareEventType.CarbonMonoxide, "carbon_monoxide")]
    public void Events_carry_the_wire_name_and_device_time(TelecareEventType type, string expectedName)
    {
        var json = DevicePayloadWriter.Event(type, DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_250));

        Assert.Equal($$"""{"event":"{{expectedName}}","t":1795000000.25}""", System.Text.Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void An_empty_pack_is_refused() =>
        Assert.Throws<ArgumentException>(() => DevicePayloadWriter.Readings("d1", MeasuredAt, []));
}
