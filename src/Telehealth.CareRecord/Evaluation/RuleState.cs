using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// A rule's persisted memory (a half-met duration, a deadline, the readings a NEWS2 was built from), as JSON so
/// a store keeps it per (patient, rule key) without knowing rule kinds, and a restart resumes where it stopped.
/// </summary>
public sealed record RuleState(string Json)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RuleState Of<T>(T state) where T : class => new(JsonSerializer.Serialize(state, Options));

    public T Read<T>() where T : class =>
        JsonSerializer.Deserialize<T>(Json, Options) ?? throw new JsonException($"Rule state is empty for {typeof(T).Name}.");
}
