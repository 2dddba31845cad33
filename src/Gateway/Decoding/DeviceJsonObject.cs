using System.Text.Json;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// The small JSON-object payloads of device API v1 (events, status): the same size, encoding and well-formedness
/// checks, the same optional SenML-style "t", unknown fields ignored (devices may add some), and a field given twice
/// refused because which one was meant is unknown. Each decoder reads only its own fields.
/// </summary>
internal static class DeviceJsonObject
{
    /// <summary>Reads one of the decoder's own fields; the reader is on the field's value.</summary>
    public delegate void FieldReader(string label, ref Utf8JsonReader reader, Action<string> noteProblem);

    /// <summary>The fields common to every object payload, and the first shape problem found.</summary>
    public sealed class Common
    {
        public double? Time { get; set; }

        public string? ShapeProblem { get; private set; }

        public void NoteShapeProblem(string problem) => ShapeProblem ??= problem;
    }

    /// <returns>
    /// A rejection for a payload that is too large, not UTF-8 or not well-formed JSON (nothing is read then);
    /// otherwise null, with <paramref name="common"/> holding "t" and any shape problem.
    /// </returns>
    public static RecordRejection? Read(
        ReadOnlySpan<byte> payload, DecodingOptions options, IReadOnlyCollection<string> ownFields, FieldReader readOwnField, out Common common)
    {
        common = new Common();
        if (DevicePayload.SizeProblem(payload.Length, options) is { } tooLarge)
        {
            return new RecordRejection(null, RejectionReasons.PayloadTooLarge, tooLarge);
        }
        payload = DevicePayload.WithoutByteOrderMark(payload);
        if (DevicePayload.EncodingProblem(payload) is { } notUtf8)
        {
            return new RecordRejection(null, RejectionReasons.MalformedJson, notUtf8);
        }
        var reader = new Utf8JsonReader(payload, DevicePayload.ReaderOptions);
        try
        {
            ReadFields(ref reader, ownFields, readOwnField, common);
        }
        catch (JsonException exception)
        {
            return new RecordRejection(null, RejectionReasons.MalformedJson, DevicePayload.MalformedDetail(exception));
        }
        return null;
    }

    private static void ReadFields(ref Utf8JsonReader reader, IReadOnlyCollection<string> ownFields, FieldReader readOwnField, Common common)
    {
        DevicePayload.ReadOrFail(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            DevicePayload.ReadToEnd(ref reader);
            common.NoteShapeProblem("expected a JSON object");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (DevicePayload.ReadOrFail(ref reader); reader.TokenType != JsonTokenType.EndObject; DevicePayload.ReadOrFail(ref reader))
        {
            var label = DevicePayload.GetString(ref reader);
            DevicePayload.ReadOrFail(ref reader);
            var known = label == "t" || ownFields.Contains(label);
            if (known && !seen.Add(label))
            {
                common.NoteShapeProblem($"field '{label}' appears twice");
            }
            else if (label == "t")
            {
                if (DevicePayload.TryGetFiniteNumber(ref reader, out var time))
                {
                    common.Time = time;
                }
                else
                {
                    common.NoteShapeProblem("field 't' is not a finite number");
                }
            }
            else if (known)
            {
                readOwnField(label, ref reader, common.NoteShapeProblem);
            }
            reader.Skip();
        }
        DevicePayload.ReadToEnd(ref reader);
    }
}
