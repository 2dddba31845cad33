using System.Globalization;
using System.Text;
using Telehealth.Contracts.Readings;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Formats readings as InfluxDB line protocol:
/// <c>vital_reading,device_id=D,kind=K,patient_id=P value=36.65,received_at_ms=1700000000123i 1700000000000</c>
/// with the timestamp in milliseconds (write with precision=ms). Tags are written sorted by key, as InfluxDB
/// recommends for speed.
/// </summary>
public static class InfluxLineProtocolWriter
{
    public const string Measurement = "vital_reading";
    public const string DeviceIdTag = "device_id";
    public const string KindTag = "kind";
    public const string PatientIdTag = "patient_id";
    public const string ValueField = "value";
    public const string ReceivedAtField = "received_at_ms";

    public static string Format(IEnumerable<Reading> readings)
    {
        var builder = new StringBuilder();
        foreach (var reading in readings)
        {
            Append(builder, reading);
            builder.Append('\n');
        }
        return builder.ToString();
    }

    /// <summary>Appends one line without the trailing newline.</summary>
    public static void Append(StringBuilder builder, Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (!double.IsFinite(reading.Value))
        {
            // Line protocol has no NaN or infinity.
            throw new ArgumentException($"Reading from device {reading.DeviceId} has a non-finite value.", nameof(reading));
        }
        builder.Append(Measurement)
            .Append(',').Append(DeviceIdTag).Append('=').Append(EscapeTagValue(reading.DeviceId, DeviceIdTag))
            .Append(',').Append(KindTag).Append('=').Append(reading.Kind.WireName())
            .Append(',').Append(PatientIdTag).Append('=').Append(EscapeTagValue(reading.PatientId, PatientIdTag))
            .Append(' ').Append(ValueField).Append('=').Append(FormatFloat(reading.Value))
            .Append(',').Append(ReceivedAtField).Append('=').Append(reading.ReceivedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('i')
            .Append(' ').Append(reading.DeviceTime.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Escapes a measurement name: comma and space take a backslash (an equals sign is literal there).</summary>
    public static string EscapeMeasurement(string name) => Escape(CheckName(name, "measurement"), "measurement", escapeEquals: false);

    /// <summary>Escapes a tag key or a field key: comma, equals sign and space take a backslash.</summary>
    public static string EscapeKey(string key, string role = "key") => Escape(CheckName(key, role), role, escapeEquals: true);

    /// <summary>
    /// Escapes a tag value: comma, equals sign and space take a backslash. Values InfluxDB cannot store faithfully
    /// are refused rather than silently altered: empty values, line breaks, and a trailing backslash (it would
    /// escape the separator that follows).
    /// </summary>
    public static string EscapeTagValue(string value, string tagName = "tag")
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException($"Tag '{tagName}' may not be empty in InfluxDB line protocol.", nameof(value));
        }
        return Escape(value, $"Tag '{tagName}'", escapeEquals: true);
    }

    /// <summary>
    /// A string field value in double quotes: a double quote and a backslash take a backslash; commas, spaces and
    /// equals signs are literal inside the quotes. A line break is refused (line protocol has no escape for it).
    /// </summary>
    public static string QuoteStringField(string value, string fieldName = "field")
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new ArgumentException($"Field '{fieldName}' may not contain a line break in InfluxDB line protocol.", nameof(value));
        }
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    private static string CheckName(string name, string role)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException($"The {role} may not be empty in InfluxDB line protocol.", nameof(name));
        }
        if (name[0] == '_')
        {
            // InfluxDB reserves names starting with '_' (_field, _measurement, _time on 2.x).
            throw new ArgumentException($"The {role} may not start with '_' in InfluxDB line protocol.", nameof(name));
        }
        return name;
    }

    private static string Escape(string value, string role, bool escapeEquals)
    {
        if (value.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            throw new ArgumentException($"{role} may not contain a line break in InfluxDB line protocol.", nameof(value));
        }
        if (value[^1] == '\\')
        {
            throw new ArgumentException($"{role} may not end with a backslash in InfluxDB line protocol.", nameof(value));
        }
        if (escapeEquals ? value.AsSpan().IndexOfAny(',', '=', ' ') < 0 : value.AsSpan().IndexOfAny(',', ' ') < 0)
        {
            return value;
        }
        var builder = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (c is ',' or ' ' || (escapeEquals && c == '='))
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>Shortest text that parses back to the same double (so 36.65 is written as 36.65, not 36.649999...).</summary>
    public static string FormatFloat(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
