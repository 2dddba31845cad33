using System.Text;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using static Telehealth.Tests.Decoding.DecodingTestData;

namespace Telehealth.Tests.Decoding;

public sealed class SenmlDecoderTests
{
    private readonly SenmlDecoder _decoder = new(new DecodingOptions());

    private SenmlDecodeResult Decode(string json) => _decoder.Decode(Utf8(json), ReceivedAt);

    [Theory]
    // Plain names, absolute times (Unix seconds, floating point).
    [InlineData("""[{"n":"heart_rate","u":"beat/min","v":72,"t":1795000000}]""", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    [InlineData("""[{"n":"respiratory_rate","u":"1/min","v":16,"t":1795000000.25}]""", VitalKind.RespiratoryRate, 16, 1_795_000_000_250)]
    [InlineData("""[{"n":"blood_glucose","u":"mmol/L","v":5.4,"t":1795000000.123}]""", VitalKind.BloodGlucose, 5.4, 1_795_000_000_123)]
    // Base name ending in ':' or '/' followed by a wire name; or the base name alone is the full name.
    [InlineData("""[{"bn":"urn:dev:mac:0024befffe804ff1:","n":"spo2","u":"%","v":97,"t":1795000000}]""", VitalKind.Spo2, 97, 1_795_000_000_000)]
    [InlineData("""[{"bn":"device-7/","n":"body_weight","u":"kg","v":80.5,"t":1795000000}]""", VitalKind.BodyWeight, 80.5, 1_795_000_000_000)]
    [InlineData("""[{"bn":"urn:dev:mac:0024befffe804ff1:body_temperature","u":"Cel","v":36.6,"t":1795000000}]""", VitalKind.BodyTemperature, 36.6, 1_795_000_000_000)]
    [InlineData("""[{"n":"urn:dev:ow:10e2073a01080063:diastolic_bp","u":"mm[Hg]","v":80,"t":1795000000}]""", VitalKind.DiastolicBp, 80, 1_795_000_000_000)]
    // Base time plus time; base unit; unit overriding base unit; base value added to value.
    [InlineData("""[{"bt":1795000000,"n":"heart_rate","u":"/min","v":70,"t":-60.5}]""", VitalKind.HeartRate, 70, 1_794_999_939_500)]
    [InlineData("""[{"bt":1795000000.5,"n":"heart_rate","u":"/min","v":70}]""", VitalKind.HeartRate, 70, 1_795_000_000_500)]
    [InlineData("""[{"bu":"mm[Hg]","n":"systolic_bp","v":120,"t":1795000000}]""", VitalKind.SystolicBp, 120, 1_795_000_000_000)]
    [InlineData("""[{"bu":"kPa","n":"systolic_bp","u":"mmHg","v":120,"t":1795000000}]""", VitalKind.SystolicBp, 120, 1_795_000_000_000)]
    [InlineData("""[{"bv":100,"n":"systolic_bp","u":"mm[Hg]","v":20.5,"t":1795000000}]""", VitalKind.SystolicBp, 120.5, 1_795_000_000_000)]
    [InlineData("""[{"bv":-2,"n":"spo2","u":"%","v":99,"t":1795000000}]""", VitalKind.Spo2, 97, 1_795_000_000_000)]
    // Relative times (below 2^28 s, RFC 8428 §4.5.3) count from the receive time; absent t and bt mean now.
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":-30}]""", VitalKind.HeartRate, 72, ReceivedAtMs - 30_000)]
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":-0.25}]""", VitalKind.HeartRate, 72, ReceivedAtMs - 250)]
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":0}]""", VitalKind.HeartRate, 72, ReceivedAtMs)]
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72}]""", VitalKind.HeartRate, 72, ReceivedAtMs)]
    [InlineData("""[{"bt":-120,"n":"heart_rate","u":"bpm","v":72,"t":10}]""", VitalKind.HeartRate, 72, ReceivedAtMs - 110_000)]
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":300}]""", VitalKind.HeartRate, 72, ReceivedAtMs + 300_000)]
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":-31535999}]""", VitalKind.HeartRate, 72, ReceivedAtMs - 31_535_999_000)]
    // Device time kept to the millisecond, rounded to the nearest.
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":1795000000.0004}]""", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    [InlineData("""[{"n":"heart_rate","u":"bpm","v":72,"t":1795000000.0006}]""", VitalKind.HeartRate, 72, 1_795_000_000_001)]
    // Unit conversion is applied (full table in UnitConverterTests).
    [InlineData("""[{"n":"body_temperature","u":"[degF]","v":98.6,"t":1795000000}]""", VitalKind.BodyTemperature, 37, 1_795_000_000_000)]
    [InlineData("""[{"n":"blood_glucose","u":"mg/dL","v":180.16,"t":1795000000}]""", VitalKind.BloodGlucose, 10, 1_795_000_000_000)]
    [InlineData("""[{"n":"body_weight","u":"g","v":3250,"t":1795000000}]""", VitalKind.BodyWeight, 3.25, 1_795_000_000_000)]
    // Escaped labels are the same labels; unknown fields without a trailing '_' are ignored.
    [InlineData("""[{"\u006e":"heart_rate","u":"/min","v":72,"t":1795000000}]""", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":1795000000,"ut":60,"vendor":{"fw":[1,2]}}]""", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":1795000000,"note":"café ♥"}]""", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    [InlineData("""[{"bver":10,"bs":0,"n":"heart_rate","u":"/min","v":72,"t":1795000000}]""", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    [InlineData(" \r\n\t[ { \"n\" : \"heart_rate\" , \"u\" : \"/min\" , \"v\" : 7.2e1 , \"t\" : 1.795e9 } ] \n", VitalKind.HeartRate, 72, 1_795_000_000_000)]
    public void Single_record_is_decoded_to_exact_kind_value_and_time(string json, VitalKind kind, double value, long deviceTimeMs)
    {
        var result = Decode(json);

        Assert.Empty(result.Rejected);
        var reading = Assert.Single(result.Accepted);
        Assert.Equal(kind, reading.Kind);
        Assert.Equal(value, reading.Value, 1e-9);
        Assert.Equal(Ms(deviceTimeMs), reading.DeviceTime);
        Assert.Equal(TimeSpan.Zero, reading.DeviceTime.Offset);
        Assert.Equal(0, reading.RecordIndex);
    }

    [Fact]
    public void Base_fields_carry_to_later_records_until_replaced()
    {
        var result = Decode("""
            [
              {"bn":"urn:dev:mac:0024befffe804ff1:","bt":1795000000,"bu":"mm[Hg]","n":"systolic_bp","v":120},
              {"n":"diastolic_bp","v":80,"t":1},
              {"bu":"beat/min","n":"heart_rate","v":64,"t":2},
              {"bn":"cuff-2/","bt":1795000100,"n":"spo2","u":"%","v":96},
              {"bv":10,"n":"heart_rate","v":55}
            ]
            """);

        Assert.Empty(result.Rejected);
        Assert.Equal(
            [
                new DecodedReading(VitalKind.SystolicBp, 120, Ms(1_795_000_000_000), 0),
                new DecodedReading(VitalKind.DiastolicBp, 80, Ms(1_795_000_001_000), 1),
                new DecodedReading(VitalKind.HeartRate, 64, Ms(1_795_000_002_000), 2),
                new DecodedReading(VitalKind.Spo2, 96, Ms(1_795_000_100_000), 3),
                new DecodedReading(VitalKind.HeartRate, 65, Ms(1_795_000_100_000), 4),
            ],
            result.Accepted);
    }

    [Fact]
    public void Record_holding_only_base_fields_is_neither_accepted_nor_refused()
    {
        var result = Decode("""
            [
              {"bn":"urn:dev:mac:0024befffe804ff1:","bt":1795000000,"bu":"Cel"},
              {"n":"body_temperature","v":37.1},
              {"n":"body_temperature","v":37.3,"t":60}
            ]
            """);

        Assert.Empty(result.Rejected);
        Assert.Equal(
            [
                new DecodedReading(VitalKind.BodyTemperature, 37.1, Ms(1_795_000_000_000), 1),
                new DecodedReading(VitalKind.BodyTemperature, 37.3, Ms(1_795_000_060_000), 2),
            ],
            result.Accepted);
    }

    [Theory]
    [InlineData("""[{"n":"pulse","u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: unknown name 'pulse'")]
    [InlineData("""[{"n":"Heart_Rate","u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: unknown name 'Heart_Rate'")]
    [InlineData("""[{"n":"xheart_rate","u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: unknown name 'xheart_rate'")]
    [InlineData("""[{"bn":"urn:dev:mac:1","n":"heart_rate","u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: unknown name 'urn:dev:mac:1heart_rate'")]
    [InlineData("""[{"n":"heart_rate:","u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: unknown name 'heart_rate:'")]
    [InlineData("""[{"n":"heart_rate_2","u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: unknown name 'heart_rate_2'")]
    [InlineData("""[{"u":"/min","v":70}]""", RejectionReasons.UnknownName, "record 0: missing name (no 'n' and no 'bn')")]
    [InlineData("""[{}]""", RejectionReasons.UnknownName, "record 0: missing name (no 'n' and no 'bn')")]
    [InlineData("""[{"n":"heart_rate","u":"Hz","v":1.2}]""", RejectionReasons.UnknownUnit, "record 0: unit 'Hz' is not accepted for heart_rate (accepted: beat/min, /min, 1/min, bpm, {beats}/min, {beat}/min)")]
    [InlineData("""[{"n":"spo2","u":"beat/min","v":97}]""", RejectionReasons.UnknownUnit, "record 0: unit 'beat/min' is not accepted for spo2 (accepted: %)")]
    [InlineData("""[{"n":"body_temperature","u":"cel","v":37}]""", RejectionReasons.UnknownUnit, "record 0: unit 'cel' is not accepted for body_temperature (accepted: Cel, K, [degF])")]
    [InlineData("""[{"n":"body_temperature","v":37}]""", RejectionReasons.UnknownUnit, "record 0: missing unit (no 'u' and no 'bu') for body_temperature")]
    [InlineData("""[{"n":"blood_glucose","v":5.5,"t":1795000000}]""", RejectionReasons.UnknownUnit, "record 0: missing unit (no 'u' and no 'bu') for blood_glucose")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":"NaN"}]""", RejectionReasons.NotANumber, "record 0: 'v' is a JSON string, not a number (\"NaN\" and \"Infinity\" are not numbers)")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":"Infinity"}]""", RejectionReasons.NotANumber, "record 0: 'v' is a JSON string, not a number (\"NaN\" and \"Infinity\" are not numbers)")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":"72"}]""", RejectionReasons.NotANumber, "record 0: 'v' is a JSON string, not a number (\"NaN\" and \"Infinity\" are not numbers)")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":1e400}]""", RejectionReasons.NotANumber, "record 0: 'v' overflows a double (not a finite number)")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":-1e400}]""", RejectionReasons.NotANumber, "record 0: 'v' overflows a double (not a finite number)")]
    [InlineData("""[{"bv":1.7e308,"n":"heart_rate","u":"/min","v":1.7e308}]""", RejectionReasons.NotANumber, "record 0: 'bv' + 'v' is not a finite number")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":null}]""", RejectionReasons.NotANumber, "record 0: 'v' is not a JSON number")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":true}]""", RejectionReasons.NotANumber, "record 0: 'v' is not a JSON number")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":{"value":72}}]""", RejectionReasons.NotANumber, "record 0: 'v' is not a JSON number")]
    [InlineData("""[{"n":"heart_rate","u":"/min","vs":"72"}]""", RejectionReasons.NotANumber, "record 0: has a string, boolean or data value (vs, vb, vd); only a numeric 'v' is accepted")]
    [InlineData("""[{"n":"heart_rate","u":"/min","vb":true}]""", RejectionReasons.NotANumber, "record 0: has a string, boolean or data value (vs, vb, vd); only a numeric 'v' is accepted")]
    [InlineData("""[{"n":"heart_rate","u":"/min","vd":"SGVsbG8"}]""", RejectionReasons.NotANumber, "record 0: has a string, boolean or data value (vs, vb, vd); only a numeric 'v' is accepted")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"vs":"72"}]""", RejectionReasons.NotANumber, "record 0: has a string, boolean or data value (vs, vb, vd); only a numeric 'v' is accepted")]
    [InlineData("""[{"n":"heart_rate","u":"/min"}]""", RejectionReasons.NotANumber, "record 0: missing numeric value 'v'")]
    [InlineData("""[{"n":"heart_rate","u":"/min","s":72}]""", RejectionReasons.NotANumber, "record 0: missing numeric value 'v'")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":4000}]""", RejectionReasons.Implausible, "record 0: 'v' of heart_rate is outside the plausible range 20–300 beat/min")]
    [InlineData("""[{"n":"spo2","u":"%","v":0.97}]""", RejectionReasons.Implausible, "record 0: 'v' of spo2 is outside the plausible range 50–100 %")]
    [InlineData("""[{"n":"blood_glucose","u":"mmol/L","v":100}]""", RejectionReasons.Implausible, "record 0: 'v' of blood_glucose is outside the plausible range 0.5–60 mmol/L")]
    [InlineData("""[{"n":"body_temperature","u":"K","v":37}]""", RejectionReasons.Implausible, "record 0: 'v' of body_temperature is outside the plausible range 25–45 Cel")]
    [InlineData("""[{"n":"body_weight","u":"[lb_av]","v":1000}]""", RejectionReasons.Implausible, "record 0: 'v' of body_weight is outside the plausible range 1–400 kg")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":300.001}]""", RejectionReasons.FutureTimestamp, "record 0: time is more than 00:05:00 (MaxClockSkew) after it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":1795000500}]""", RejectionReasons.FutureTimestamp, "record 0: time is more than 00:05:00 (MaxClockSkew) after it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":268435455}]""", RejectionReasons.FutureTimestamp, "record 0: time is more than 00:05:00 (MaxClockSkew) after it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":1e300}]""", RejectionReasons.FutureTimestamp, "record 0: time is more than 00:05:00 (MaxClockSkew) after it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":268435456}]""", RejectionReasons.StaleTimestamp, "record 0: time is more than 365.00:00:00 (MaxAge) before it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":-31536001}]""", RejectionReasons.StaleTimestamp, "record 0: time is more than 365.00:00:00 (MaxAge) before it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":-1e300}]""", RejectionReasons.StaleTimestamp, "record 0: time is more than 365.00:00:00 (MaxAge) before it was received")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"t":"now"}]""", RejectionReasons.NotSenml, "record 0: field 't' is not a finite number")]
    [InlineData("""[{"n":72,"u":"/min","v":72}]""", RejectionReasons.NotSenml, "record 0: field 'n' is not a string")]
    [InlineData("""[{"n":"heart_rate","u":1,"v":72}]""", RejectionReasons.NotSenml, "record 0: field 'u' is not a string")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"v":73}]""", RejectionReasons.NotSenml, "record 0: field 'v' appears twice")]
    public void Single_bad_record_is_refused_with_exact_reason_and_detail(string json, string reason, string detail)
    {
        var result = Decode(json);

        Assert.Empty(result.Accepted);
        Assert.Equal(new RecordRejection(0, reason, detail), Assert.Single(result.Rejected));
        Assert.False(result.IsWholeMessageRejected);
    }

    [Fact]
    public void Implausible_value_detail_does_not_repeat_the_measurement()
    {
        var rejection = Assert.Single(Decode("""[{"n":"heart_rate","u":"/min","v":4321}]""").Rejected);

        Assert.Equal(RejectionReasons.Implausible, rejection.Reason);
        Assert.DoesNotContain("4321", rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Mixed_message_keeps_the_good_records_and_refuses_each_bad_one()
    {
        var result = Decode("""
            [
              {"bn":"urn:dev:mac:0024befffe804ff1:","bt":1795000000,"n":"heart_rate","u":"beat/min","v":72},
              {"n":"firmware","vs":"1.4.2"},
              {"n":"spo2","u":"%","v":97,"t":1},
              {"n":"heart_rate","u":"beat/min","v":4000,"t":2},
              {"n":"body_temperature","v":37.0,"t":3},
              {"n":"heart_rate","u":"beat/min","vs":"73","t":4},
              {"n":"body_temperature","u":"[degF]","v":98.6,"t":5}
            ]
            """);

        Assert.Equal([0, 2, 6], result.Accepted.Select(reading => reading.RecordIndex));
        Assert.Equal(37.0, result.Accepted[2].Value, 1e-9);
        Assert.Equal(Ms(1_795_000_005_000), result.Accepted[2].DeviceTime);
        Assert.Equal(
            [
                (1, RejectionReasons.UnknownName),
                (3, RejectionReasons.Implausible),
                (4, RejectionReasons.UnknownUnit),
                (5, RejectionReasons.NotANumber),
            ],
            result.Rejected.Select(rejection => (rejection.RecordIndex!.Value, rejection.Reason)));
    }

    [Theory]
    [InlineData("", RejectionReasons.MalformedJson)]
    [InlineData("   ", RejectionReasons.MalformedJson)]
    [InlineData("[", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72}""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72}] x""", RejectionReasons.MalformedJson)]
    [InlineData("""[][]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72},]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72} /* hr */]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{'n':'heart_rate','u':'/min','v':72}]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":NaN}]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":072}]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"x":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}]""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"bn":5}, 7,""", RejectionReasons.MalformedJson)]
    [InlineData("""[{"n":"heart_rate\uD800","u":"/min","v":72}]""", RejectionReasons.MalformedJson)]
    [InlineData("""{"n":"heart_rate","u":"/min","v":72}""", RejectionReasons.NotSenml)]
    [InlineData("72", RejectionReasons.NotSenml)]
    [InlineData("null", RejectionReasons.NotSenml)]
    [InlineData("\"heart_rate\"", RejectionReasons.NotSenml)]
    [InlineData("[1]", RejectionReasons.NotSenml)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72},[]]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72},null]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"crit_":1}]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72},{"bt":"yesterday","n":"spo2","u":"%","v":97}]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"bn":5,"n":"heart_rate","u":"/min","v":72}]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"bu":null,"n":"heart_rate","u":"/min","v":72}]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"bv":1e400,"n":"heart_rate","u":"/min","v":72}]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"bt":1795000000,"bt":1795000001,"n":"heart_rate","u":"/min","v":72}]""", RejectionReasons.NotSenml)]
    [InlineData("""[{"bver":"10","n":"heart_rate","u":"/min","v":72}]""", RejectionReasons.NotSenml)]
    public void Whole_message_problem_gives_nothing_accepted_and_one_rejection_without_index(string json, string reason)
    {
        var result = Decode(json);

        Assert.Empty(result.Accepted);
        var rejection = Assert.Single(result.Rejected);
        Assert.Null(rejection.RecordIndex);
        Assert.Equal(reason, rejection.Reason);
        Assert.True(result.IsWholeMessageRejected);
    }

    [Theory]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72},[]]""", "record 1: is not a JSON object; a SenML pack is an array of records")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72,"crit_":1}]""", "record 0: must-understand field 'crit_' is not supported (RFC 8428 §4.4)")]
    [InlineData("""[{"n":"heart_rate","u":"/min","v":72},{"bt":"yesterday"}]""", "record 1: base field 'bt' is not a finite number")]
    [InlineData("""[{"bn":5}]""", "record 0: base field 'bn' is not a string")]
    [InlineData("""[{"bt":1,"bt":2}]""", "record 0: base field 'bt' appears twice")]
    [InlineData("""{"n":"heart_rate"}""", "expected a JSON array of SenML records")]
    [InlineData("[{\n\"n\":\"heart_rate\",\n\"v\":72 x}]", "invalid JSON at line 3, byte 8")]
    public void Whole_message_detail_names_the_record_and_field(string json, string detail)
    {
        Assert.Equal(detail, Assert.Single(Decode(json).Rejected).Detail);
    }

    [Fact]
    public void Invalid_utf8_anywhere_is_malformed_json()
    {
        // Even inside a field the decoder ignores: a payload that is not UTF-8 is not JSON (RFC 8259 §8.1).
        byte[] payload = [.. Utf8("""[{"n":"heart_rate","u":"/min","v":72,"x":"""), (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}', (byte)']'];

        var rejection = Assert.Single(_decoder.Decode(payload, ReceivedAt).Rejected);

        Assert.Equal(RejectionReasons.MalformedJson, rejection.Reason);
        Assert.Null(rejection.RecordIndex);
        Assert.Equal("payload is not valid UTF-8", rejection.Detail);
    }

    [Fact]
    public void Utf8_byte_order_mark_is_ignored()
    {
        byte[] payload = [0xEF, 0xBB, 0xBF, .. Utf8("""[{"n":"heart_rate","u":"/min","v":72}]""")];

        var reading = Assert.Single(_decoder.Decode(payload, ReceivedAt).Accepted);

        Assert.Equal(new DecodedReading(VitalKind.HeartRate, 72, Ms(ReceivedAtMs), 0), reading);
    }

    [Fact]
    public void Empty_pack_yields_nothing_and_refuses_nothing()
    {
        var result = Decode("[]");

        Assert.Empty(result.Accepted);
        Assert.Empty(result.Rejected);
    }

    [Theory]
    [InlineData(64 * 1024, 1)]
    [InlineData(64 * 1024 + 1, 0)]
    public void Payload_over_max_payload_bytes_is_refused_whole(int length, int expectedAccepted)
    {
        var payload = PaddedPayload("""[{"n":"heart_rate","u":"/min","v":72}]""", length);

        var result = _decoder.Decode(payload, ReceivedAt);

        Assert.Equal(expectedAccepted, result.Accepted.Count);
        if (expectedAccepted == 0)
        {
            Assert.Equal(new RecordRejection(null, RejectionReasons.PayloadTooLarge, "payload is 65537 bytes; MaxPayloadBytes is 65536"), Assert.Single(result.Rejected));
        }
        else
        {
            Assert.Empty(result.Rejected);
        }
    }

    [Theory]
    [InlineData(1000, 1000, 0)]
    [InlineData(1001, 0, 1)]
    public void More_than_max_records_is_refused_whole(int records, int expectedAccepted, int expectedRejected)
    {
        var json = "[" + string.Join(",", Enumerable.Repeat("""{"n":"heart_rate","u":"/min","v":72}""", records)) + "]";

        var result = Decode(json);

        Assert.Equal(expectedAccepted, result.Accepted.Count);
        Assert.Equal(expectedRejected, result.Rejected.Count);
        if (expectedRejected == 1)
        {
            Assert.Equal(new RecordRejection(null, RejectionReasons.PayloadTooLarge, "more than 1000 records (MaxRecords)"), result.Rejected[0]);
        }
    }

    [Fact]
    public void Limits_come_from_the_options()
    {
        var decoder = new SenmlDecoder(new DecodingOptions { MaxRecords = 2, MaxClockSkew = TimeSpan.Zero, MaxAge = TimeSpan.FromDays(1) });

        var tooMany = decoder.Decode(Utf8("""[{"n":"spo2","u":"%","v":97},{"n":"spo2","u":"%","v":97},{"n":"spo2","u":"%","v":97}]"""), ReceivedAt);
        var times = decoder.Decode(Utf8("""[{"n":"spo2","u":"%","v":97,"t":0.001},{"n":"spo2","u":"%","v":97,"t":-86401}]"""), ReceivedAt);

        Assert.Equal(RejectionReasons.PayloadTooLarge, Assert.Single(tooMany.Rejected).Reason);
        Assert.Empty(times.Accepted);
        Assert.Equal(
            [(0, RejectionReasons.FutureTimestamp), (1, RejectionReasons.StaleTimestamp)],
            times.Rejected.Select(rejection => (rejection.RecordIndex!.Value, rejection.Reason)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Segmented_payload_decodes_like_a_contiguous_one(int segmentLength)
    {
        var payload = Utf8("""[{"bn":"urn:dev:mac:0024befffe804ff1:","bt":1795000000,"n":"heart_rate","u":"/min","v":72},{"n":"spo2","u":"%","v":97,"t":1}]""");

        var result = _decoder.Decode(Segmented(payload, segmentLength), ReceivedAt);

        Assert.Empty(result.Rejected);
        Assert.Equal(
            [
                new DecodedReading(VitalKind.HeartRate, 72, Ms(1_795_000_000_000), 0),
                new DecodedReading(VitalKind.Spo2, 97, Ms(1_795_000_001_000), 1),
            ],
            result.Accepted);
    }

    [Fact]
    public void Oversize_segmented_payload_is_refused_before_it_is_copied()
    {
        var payload = PaddedPayload("[]", 64 * 1024 + 1);

        var result = _decoder.Decode(Segmented(payload, 1000), ReceivedAt);

        Assert.Equal(RejectionReasons.PayloadTooLarge, Assert.Single(result.Rejected).Reason);
    }

    [Fact]
    public void Records_of_one_identity_with_different_values_are_all_refused_and_the_rest_kept()
    {
        // Records 0 and 2: heart rate at the same time, 72 and 140. Record 1 is another kind at that time, record 3 the
        // same kind at another time: both kept.
        var result = Decode("""
            [{"n":"heart_rate","u":"/min","v":72,"t":1795000000},
             {"n":"spo2","u":"%","v":97,"t":1795000000},
             {"n":"heart_rate","u":"/min","v":140,"t":1795000000},
             {"n":"heart_rate","u":"/min","v":72,"t":1795000060}]
            """);

        Assert.Equal(
            [
                new DecodedReading(VitalKind.Spo2, 97, Ms(1_795_000_000_000), 1),
                new DecodedReading(VitalKind.HeartRate, 72, Ms(1_795_000_060_000), 3),
            ],
            result.Accepted);
        Assert.Equal(
            [
                new RecordRejection(0, RejectionReasons.ConflictingDuplicate, "record 0: heart_rate at 2026-11-18T11:06:40.000Z has a different value in record 2; none of them is stored"),
                new RecordRejection(2, RejectionReasons.ConflictingDuplicate, "record 2: heart_rate at 2026-11-18T11:06:40.000Z has a different value in record 0; none of them is stored"),
            ],
            result.Rejected);
    }

    [Fact]
    public void Identical_repeats_of_one_identity_are_accepted_for_the_store_to_keep_once()
    {
        // The comparison is on canonical values, so the same rate in another accepted unit is a repeat, not a conflict.
        var result = Decode("""
            [{"n":"heart_rate","u":"/min","v":72,"t":1795000000},
             {"n":"heart_rate","u":"beat/min","v":72,"t":1795000000}]
            """);

        Assert.Empty(result.Rejected);
        Assert.Equal([0, 1], result.Accepted.Select(r => r.RecordIndex));
    }

    private static byte[] PaddedPayload(string json, int length)
    {
        var builder = new StringBuilder(json, length);
        builder.Append(' ', length - json.Length);
        return Utf8(builder.ToString());
    }
}
