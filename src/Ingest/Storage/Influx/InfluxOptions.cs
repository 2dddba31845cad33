using System.ComponentModel.DataAnnotations;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Where and how the InfluxDB reading store writes (bound from configuration section "Storage:Influx" and validated at
/// start: a wrong setting stops the process with a message naming it).
/// </summary>
public sealed class InfluxOptions : IValidatableObject
{
    public const string SectionName = "Influx";

    /// <summary>Base address of the InfluxDB HTTP API, e.g. http://127.0.0.1:8086.</summary>
    [Required]
    public Uri Url { get; set; } = new("http://127.0.0.1:8086");

    /// <summary>1.x (<c>/write</c>) or 2.x (<c>/api/v2/write</c>).</summary>
    public InfluxApiVersion ApiVersion { get; set; } = InfluxApiVersion.V1;

    /// <summary>1.x database; on 2.x the database name of the bucket's DBRP mapping, used for reads.</summary>
    [Required]
    [RegularExpression(NamePattern, ErrorMessage = "Database must be letters, digits, '_' or '-' (and not start with '_').")]
    public string Database { get; set; } = "telehealth";

    /// <summary>Optional (1.x); sent as HTTP basic authentication together with <see cref="Password"/>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>2.x only: the organisation the bucket belongs to.</summary>
    public string? Org { get; set; }

    /// <summary>2.x only: the bucket written to.</summary>
    public string? Bucket { get; set; }

    /// <summary>2.x only: an API token allowed to write the bucket (and read it through /query).</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Most points sent in one write. Measured here: about 240k points/s with batches of 5,000 against 136k/s
    /// with batches of 500; larger batches add latency without much throughput. A 413 answer splits a batch further.
    /// </summary>
    [Range(1, 50_000)]
    public int BatchSize { get; set; } = 5_000;

    /// <summary>
    /// How long one HTTP request may take. After a timeout a write may or may not have landed: the next attempt asks
    /// InfluxDB which readings it holds, so nothing is written twice or reported new twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per write when InfluxDB answers 429 or 503 (then the batch fails and the devices resend).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Longest wait honoured from a Retry-After header (longer waits are cut to this); also the wait when none is given.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// 1.x: the retention policy raw readings are written to, created (or altered to <see cref="RawRetention"/>) at
    /// start and made the database default. Null: write to the database's default policy and manage none.
    /// </summary>
    [RegularExpression(NamePattern, ErrorMessage = "RawRetentionPolicy must be letters, digits, '_' or '-' (and not start with '_').")]
    public string? RawRetentionPolicy { get; set; }

    /// <summary>How long raw readings are kept (zero: forever). InfluxDB's shortest is one hour.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// 1.x: when set, a continuous query keeps min/max/sum/count of every series per this interval in
    /// <see cref="DownsampledRetentionPolicy"/> (measurement <c>vital_reading_ds</c>), so summaries outlive the raw points.
    /// </summary>
    public TimeSpan? DownsampleInterval { get; set; }

    /// <summary>How far back each run of the continuous query recomputes, so readings uploaded late are still counted.</summary>
    public TimeSpan DownsampleLateWindow { get; set; } = TimeSpan.FromHours(1);

    [RegularExpression(NamePattern, ErrorMessage = "DownsampledRetentionPolicy must be letters, digits, '_' or '-' (and not start with '_').")]
    public string DownsampledRetentionPolicy { get; set; } = "downsampled";

    /// <summary>How long downsampled summaries are kept (zero: forever).</summary>
    public TimeSpan DownsampledRetention { get; set; } = TimeSpan.Zero;

    private const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            yield return new ValidationResult("Url must be an absolute http or https address.", [nameof(Url)]);
        }
        if (!Enum.IsDefined(ApiVersion))
        {
            yield return new ValidationResult("ApiVersion must be V1 or V2.", [nameof(ApiVersion)]);
        }
        if (ApiVersion == InfluxApiVersion.V2)
        {
            foreach (var (name, value) in new[] { (nameof(Org), Org), (nameof(Bucket), Bucket), (nameof(Token), Token) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return new ValidationResult($"{name} is required when ApiVersion is V2.", [name]);
                }
            }
            if (RawRetentionPolicy is not null || DownsampleInterval is not null)
            {
                // 2.x has buckets with retention and tasks instead of retention policies and continuous queries.
                yield return new ValidationResult(
                    "RawRetentionPolicy and DownsampleInterval are InfluxDB 1.x settings; on 2.x set the bucket's retention and a task.",
                    [nameof(RawRetentionPolicy), nameof(DownsampleInterval)]);
            }
        }
        if (RawRetention < TimeSpan.Zero || (RawRetention > TimeSpan.Zero && RawRetention < TimeSpan.FromHours(1)))
        {
            yield return new ValidationResult("RawRetention must be zero (forever) or at least one hour.", [nameof(RawRetention)]);
        }
        if (RawRetention > TimeSpan.Zero && RawRetentionPolicy is null)
        {
            yield return new ValidationResult("RawRetention needs RawRetentionPolicy (the policy it applies to).", [nameof(RawRetention)]);
        }
        if (DownsampledRetention < TimeSpan.Zero || (DownsampledRetention > TimeSpan.Zero && DownsampledRetention < TimeSpan.FromHours(1)))
        {
            yield return new ValidationResult("DownsampledRetention must be zero (forever) or at least one hour.", [nameof(DownsampledRetention)]);
        }
        if (DownsampleInterval is { } interval)
        {
            if (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(7) || interval.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                yield return new ValidationResult("DownsampleInterval must be whole seconds, from 1 second to 7 days.", [nameof(DownsampleInterval)]);
            }
            if (DownsampleLateWindow < interval || DownsampleLateWindow > TimeSpan.FromDays(7) || DownsampleLateWindow.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                yield return new ValidationResult("DownsampleLateWindow must be whole seconds, at least DownsampleInterval and at most 7 days.", [nameof(DownsampleLateWindow)]);
            }
            if (RawRetention > TimeSpan.Zero && RawRetention <= DownsampleLateWindow)
            {
                // Summaries must be final before the raw points they come from expire.
                yield return new ValidationResult("RawRetention must be longer than DownsampleLateWindow.", [nameof(RawRetention)]);
            }
            if (string.Equals(DownsampledRetentionPolicy, RawRetentionPolicy, StringComparison.Ordinal))
            {
                yield return new ValidationResult("DownsampledRetentionPolicy must differ from RawRetentionPolicy.", [nameof(DownsampledRetentionPolicy)]);
            }
        }
    }
}
