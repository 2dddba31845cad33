using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Telehealth.Notifications.Webhooks;

/// <summary>Configuration section "Notifications:Webhooks": named targets and how hard a send tries.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string SectionName = "Notifications:Webhooks";

    /// <summary>Shortest secret accepted: 32 characters of a random string give well over 128 bits.</summary>
    public const int MinimumSecretLength = 32;

    public Dictionary<string, WebhookTarget> Targets { get; set; } = new(StringComparer.Ordinal);

    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries within one send (5xx, 408, 429, timeouts, connection errors).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between retries, also the cap on a receiver's Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, target) in Targets)
        {
            if (!WebhookTargetNames.IsValid(name))
            {
                yield return new ValidationResult($"Notifications:Webhooks:Targets: '{name}' is not a valid target name (letters, digits, '-', '_', at most 64).", [nameof(Targets)]);
            }
            if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))))
            {
                yield return new ValidationResult($"Notifications:Webhooks:Targets:{name}:Url must be an absolute https URL (http only to a loopback address).", [nameof(Targets)]);
            }
            if (string.IsNullOrEmpty(target.Secret) || target.Secret.Length < MinimumSecretLength)
            {
                yield return new ValidationResult($"Notifications:Webhooks:Targets:{name}:Secret must be at least {MinimumSecretLength} characters.", [nameof(Targets)]);
            }
        }
        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Notifications:Webhooks:RetryMaxDelay must not be shorter than RetryBaseDelay.", [nameof(RetryMaxDelay)]);
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
