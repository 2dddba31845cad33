using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telehealth.CareRecord.Evaluation;

/// <summary>
/// A rule's persisted memory (a half-met duration, a deadline, the readings a NEWS2 was built from), as JSON so
/// a store keeps it per (patient, rule key) without knowing rule kinds, and a restart resumes where it stopped.
/// Two states are equal when their JSON is.
/// </summary>
/// <remarks>
/// A state made by a rule keeps the rule's object and writes its JSON only when asked (the store asks once per pass,
/// for the last state of each rule); the next reading of the same rule in the pass reads the object back as it was.
/// Every rule of every reading made and parsed a JSON text before, most of them never stored. The state types are
/// immutable records, so handing the same object on is safe.
/// </remarks>
public sealed class RuleState : IEquatable<RuleState>
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly object? _value;
    private readonly Type? _type;
    private string? _json;

    /// <summary>A state as stored.</summary>
    public RuleState(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        _json = json;
    }

    private RuleState(object value, Type type)
    {
        _value = value;
        _type = type;
    }

    /// <summary>The state as JSON (written on first use for a state a rule made).</summary>
    public string Json => _json ??= JsonSerializer.Serialize(_value, _type!, Options);

    public static RuleState Of<T>(T state) where T : class
    {
        ArgumentNullException.ThrowIfNull(state);
        return new(state, typeof(T));
    }

    /// <summary>Whether this state is <paramref name="value"/> itself (a state a rule made, not one read from JSON).</summary>
    public bool Holds(object value) => _value is not null && ReferenceEquals(_value, value);

    public T Read<T>() where T : class =>
        _value as T
        ?? JsonSerializer.Deserialize<T>(Json, Options)
        ?? throw new JsonException($"Rule state is empty for {typeof(T).Name}.");

    public bool Equals(RuleState? other) => other is not null && (ReferenceEquals(this, other) || Json == other.Json);

    public override bool Equals(object? obj) => Equals(obj as RuleState);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Json);

    public static bool operator ==(RuleState? left, RuleState? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(RuleState? left, RuleState? right) => !(left == right);

    public override string ToString() => $"RuleState {{ Json = {Json} }}";
}
