using System.Text;
using System.Text.Json;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage.Influx;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Line protocol formatting and /query response parsing, without a server.</summary>
public sealed class InfluxLineProtocolWriterTests
{
    [Theory]
    [InlineData("pat-ab12", "pat-ab12")]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a b", @"a\ b")]
    [InlineData("a=b", @"a\=b")]
    [InlineData("x, =y", @"x\,\ \=y")]
    [InlineData("say \"hi\"", "say\\ \"hi\"")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData("ünï", "ünï")]
    public void Tag_values_escape_comma_equals_and_space(string value, string expected)
    {
        Assert.Equal(expected, InfluxLineProtocolWriter.EscapeTagValue(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData(@"ends\")]
    public void Tag_values_influx_cannot_hold_are_refused(string value)
    {
        Assert.Throws<ArgumentException>(() => InfluxLineProtocolWriter.EscapeTagValue(value, "device_id"));
    }

    [Theory]
    [InlineData(36.65, "36.65")]
    [InlineData(98.0, "98")]
    [InlineData(120, "120")]
    [InlineData(0.1, "0.1")]
    [InlineData(-4.5, "-4.5")]
    [InlineData(1e-7, "1E-07")]
    public void Floats_are_written_in_their_shortest_exact_form(double value, string expected)
    {
        Assert.Equal(expected, InfluxLineProtocolWriter.FormatFloat(value));
    }

    [Fact]
    public void A_reading_becomes_one_line_with_sorted_tags_and_millisecond_timestamp()
    {
        var deviceTime = DateTimeOffset.FromUnixTimeMilliseconds(1_741_942_800_123);
        var reading = new Reading("dev 1", "pat,1", VitalKind.BodyTemperature, 36.65, deviceTime, deviceTime.AddMilliseconds(2_500));

        var line = InfluxLineProtocolWriter.Format([reading]);

        Assert.Equal(
            "vital_reading,device_id=dev\\ 1,kind=body_temperature,patient_id=pat\\,1 value=36.65,received_at_ms=1741942802623i 1741942800123\n",
            line);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_values_are_refused(double value)
    {
        var reading = new Reading("dev-1", "pat-1", VitalKind.HeartRate, value, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
        Assert.Throws<ArgumentException>(() => InfluxLineProtocolWriter.Append(new StringBuilder(), reading));
    }

    [Theory]
    [InlineData("""{"results":[{"statement_id":0,"error":"database not found: nope"}]}""", "database not found: nope")]
    [InlineData("""{"error":"error parsing query: found EOF"}""", "error parsing query: found EOF")]
    [InlineData("""{"results":[{"statement_id":0},{"statement_id":1,"error":"second failed"}]}""", "second failed")]
    public void Query_errors_inside_a_200_response_throw_with_the_server_message(string body, string expected)
    {
        using var document = JsonDocument.Parse(body);

        var exception = Assert.Throws<InfluxException>(() => InfluxQueryClient.Parse(document.RootElement));

        Assert.Equal(expected, exception.ServerMessage);
        Assert.Null(exception.StatusCode);
    }

    [Fact]
    public void Query_results_parse_into_series_with_columns_tags_and_rows()
    {
        using var document = JsonDocument.Parse("""
            {"results":[{"statement_id":0,"series":[{"name":"vital_reading","tags":{"kind":"spo2"},"columns":["time","value"],"values":[[1000,97],[2000,96.5]]}]},{"statement_id":1}]}
            """);

        var results = InfluxQueryClient.Parse(document.RootElement);

        Assert.Equal(2, results.Count);
        var series = Assert.Single(results[0].Series);
        Assert.Equal("spo2", series.Tags["kind"]);
        Assert.Equal(1, series.ColumnIndex("value"));
        Assert.Equal([1000L, 2000L], series.Values.Select(row => row[0].GetInt64()));
        Assert.Equal([97.0, 96.5], series.Values.Select(row => row[1].GetDouble()));
        Assert.Empty(results[1].Series);
    }

    [Theory]
    [InlineData("it's", @"'it\'s'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("plain", "'plain'")]
    public void InfluxQL_string_literals_escape_quotes_and_backslashes(string value, string expected)
    {
        Assert.Equal(expected, InfluxQueryClient.QuoteString(value));
    }
    [Theory]
    [InlineData("vital_reading", "vital_reading")]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a b", @"a\ b")]
    [InlineData("a=b", "a=b")]
    [InlineData("say \"hi\"", "say\\ \"hi\"")]
    [InlineData(@"a\b", @"a\b")]
    public void Measurements_escape_comma_and_space_only(string name, string expected)
    {
        Assert.Equal(expected, InfluxLineProtocolWriter.EscapeMeasurement(name));
    }

    [Theory]
    [InlineData("device_id", "device_id")]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a b", @"a\ b")]
    [InlineData("a=b", @"a\=b")]
    [InlineData("x, =y", @"x\,\ \=y")]
    [InlineData("q\"uote", "q\"uote")]
    public void Tag_and_field_keys_escape_comma_equals_and_space(string key, string expected)
    {
        Assert.Equal(expected, InfluxLineProtocolWriter.EscapeKey(key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("_reserved")]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData(@"ends\")]
    public void Names_influx_cannot_hold_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => InfluxLineProtocolWriter.EscapeMeasurement(name));
        Assert.Throws<ArgumentException>(() => InfluxLineProtocolWriter.EscapeKey(name));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData(@"back\slash", "\"back\\\\slash\"")]
    [InlineData("a, b=c", "\"a, b=c\"")]
    [InlineData(@"ends\", "\"ends\\\\\"")]
    public void String_fields_are_quoted_with_quote_and_backslash_escaped(string value, string expected)
    {
        Assert.Equal(expected, InfluxLineProtocolWriter.QuoteStringField(value));
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    public void String_fields_with_line_breaks_are_refused(string value)
    {
        Assert.Throws<ArgumentException>(() => InfluxLineProtocolWriter.QuoteStringField(value, "note"));
    }

    [Theory]
    [InlineData("partial write: points beyond retention policy dropped=2", "partial write: points beyond retention policy dropped=2")]
    [InlineData("unable to parse 'vital_reading,device_id=d value=x 1': invalid boolean", "unable to parse (line): invalid boolean")]
    public void Refusal_reasons_keep_no_line_content(string message, string expected)
    {
        Assert.Equal(expected, InfluxWriteClient.WithoutData(message));
    }

    [Theory]
    [InlineData("partial write: field type conflict: input field \"value\" on measurement \"m\" is type string, already exists as type float dropped=7", 7)]
    [InlineData("partial write: points beyond retention policy dropped=12", 12)]
    [InlineData("database not found: x", null)]
    public void The_dropped_count_is_read_from_a_partial_write_message(string message, int? expected)
    {
        Assert.Equal(expected, new InfluxException("write", System.Net.HttpStatusCode.BadRequest, message).DroppedCount);
    }
}
