using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace Telehealth.Fhir.Serialization;

/// <summary>
/// A resource as compact FHIR JSON, character for character what Firely's <c>SerializeToString</c> writes (the outbox
/// compares content hashes, so the text must not drift), through a writer and buffer kept per thread. Every reading's
/// Observation passes through here: <c>SerializeToString</c> grew a fresh stream and writer for each one, which was
/// about half the bytes the FHIR follower allocated per reading.
/// </summary>
public static class CompactFhirJson
{
    private static readonly FhirJsonSerializer Serializer = new();

    // Firely's own writer options for SerializeToString: no escaping beyond what JSON requires.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A buffer that grew past this for one large resource is not kept for the next.</summary>
    private const int LargestKeptBuffer = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Serialize(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Write(resource, static (writer, resource) => Serializer.Serialize(resource, writer, null));
    }

    /// <summary>Text that <paramref name="write"/> puts on the thread's writer (Firely's options), as a string.</summary>
    internal static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        // Synchronous from here to the return, so the thread's buffer cannot be shared with another call.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        try
        {
            write(writer, state);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity > LargestKeptBuffer)
            {
                t_buffer = null;
                t_writer = null;
            }
            else
            {
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
            }
        }
    }
}
