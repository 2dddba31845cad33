using System.ComponentModel.DataAnnotations;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// Configuration section "Fhir": where the outbox pushes resources and how hard it tries. With no
/// <see cref="Server"/> pushing is off and nothing is queued (see <see cref="FhirOutboxServiceCollectionExtensions"/>;
/// docs/fhir.md says what a server configured later receives).
/// </summary>
public sealed class FhirPushOptions : IValidatableObject
{
    public const string SectionName = "Fhir";

    /// <summary>Base URL of the external FHIR R4 server (e.g. https://fhir.example.nhs.uk/R4); empty turns pushing off.</summary>
    public string? Server { get; set; }

    /// <summary>Give up on one HTTP attempt after this long (a hung server must not stall the outbox).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of one resource within one send (5xx, 408, 429, timeouts, connection errors) before it waits for the next pass.</summary>
    [Range(1, 20)]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First retry delay; doubled each retry, with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one retry delay, also of a server's Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed attempts within <see cref="CircuitBreakerSamplingDuration"/> that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in the sampling window before the breaker may open (Polly requires at least 2).</summary>
    [Range(2, 1000)]
    public int CircuitBreakerMinimumThroughput { get; set; } = 6;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While open, no request reaches the server; then one trial request decides.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Entries read from the outbox per query.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// People whose entries are pushed at the same time, each person's one after another in order. One request at a
    /// time caps pushing at one resource per round trip: 20–50 resources a second to a server 20–50 ms away.
    /// </summary>
    [Range(1, 64)]
    public int MaxConcurrentPushes { get; set; } = 8;

    /// <summary>How long the worker waits before trying a patient blocked by a transient failure again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan BlockedRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Safety net: the worker looks at the outbox this often even when no one signalled a new entry.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool PushEnabled => !string.IsNullOrWhiteSpace(Server);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PushEnabled && (!Uri.TryCreate(Server, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("Fhir:Server must be an absolute http(s) URL, or empty to turn pushing off.", [nameof(Server)]);
        }
        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Fhir:RetryMaxDelay must not be shorter than Fhir:RetryBaseDelay.", [nameof(RetryMaxDelay)]);
        }
    }
}
