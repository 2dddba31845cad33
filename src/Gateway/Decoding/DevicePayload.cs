using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Telehealth.Gateway.Decoding;

/// <summary>Checks and helpers every device payload decoder applies before and while reading JSON.</summary>
internal static class DevicePayload
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Nesting no device API v1 payload needs; deeper is refused as malformed rather than walked.</summary>
    public static JsonReaderOptions ReaderOptions { get; } = new() { MaxDepth = 16 };

    public static string? SizeProblem(long length, DecodingOptions options) =>
        length > options.MaxPayloadBytes
            ? string.Create(CultureInfo.InvariantCulture, $"payload is {length} bytes; MaxPayloadBytes is {options.MaxPayloadBytes}")
            : null;

    /// <summary>Some device firmware writes a UTF-8 byte order mark; JSON (RFC 8259 §8.1) lets a parser ignore it.</summary>
    public static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> payload) =>
        payload.StartsWith(Utf8ByteOrderMark) ? payload[Utf8ByteOrderMark.Length..] : payload;

    /// <summary>Position only: the exception message could quote payload bytes.</summary>
    public static string MalformedDetail(JsonException exception) =>
        exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $"invalid JSON at line {line + 1}, byte {position + 1}")
            : "invalid JSON";

    /// <summary>
    /// JSON text is UTF-8 (RFC 8259 §8.1). The reader only checks the strings it is asked to decode, so a corrupted
    /// byte in a field the decoder skips would otherwise pass unnoticed.
    /// </summary>
    public static string? EncodingProblem(ReadOnlySpan<byte> payload) =>
        Utf8.IsValid(payload) ? null : "payload is not valid UTF-8";

    /// <summary>Reads the next token, treating a payload that ends early as malformed.</summary>
    public static void ReadOrFail(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The payload ended inside a JSON value.");
        }
    }

    /// <summary>Reads to the end so that broken JSON later in the payload is reported as such, not as a shape problem.</summary>
    public static void ReadToEnd(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
        }
    }

    /// <summary>A string token's text; invalid UTF-8 inside a string is malformed JSON.</summary>
    public static string GetString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString() ?? string.Empty;
        }
        catch (InvalidOperationException exception)
        {
            throw new JsonException("A JSON string is not valid UTF-8.", exception);
        }
    }

    /// <summary>A finite double from a number token; false for any other token and for numbers that overflow a double.</summary>
    public static bool TryGetFiniteNumber(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out value) && double.IsFinite(value))
        {
            return true;
        }
        value = double.NaN;
        return false;
    }
}
