namespace Telehealth.TestSupport;

/// <summary>How <see cref="InfluxWireServer"/> answers one request: a status with InfluxDB's error shape and Retry-After, or no answer at all.</summary>
public sealed record InfluxWireAnswer(int Status, string? Error = null, string? RetryAfter = null, bool Hang = false, string? Json = null)
{
    public static InfluxWireAnswer Stored { get; } = new(204);

    public static InfluxWireAnswer NoAnswer { get; } = new(0, Hang: true);

    /// <summary>A /query answer with no rows.</summary>
    public static InfluxWireAnswer EmptyQueryResult { get; } = new(200, Json: """{"results":[{"statement_id":0}]}""");
}
