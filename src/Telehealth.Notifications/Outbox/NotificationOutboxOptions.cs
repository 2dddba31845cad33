using System.ComponentModel.DataAnnotations;

namespace Telehealth.Notifications.Outbox;

/// <summary>Configuration section "Notifications": the outbox's pace, and the dashboard address used in links.</summary>
public sealed class NotificationOutboxOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>Public address of the staff dashboard (e.g. https://telehealth.trust.nhs.uk/); links in messages point there. Empty: no link.</summary>
    public string? DashboardBaseUrl { get; set; }

    /// <summary>Delivery passes before an entry that keeps failing transiently is given up (each pass retries within itself).</summary>
    [Range(1, 100)]
    public int MaxPasses { get; set; } = 5;

    /// <summary>Wait before the second pass; doubled for each later one, up to <see cref="MaxPassDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PassDelay { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "06:00:00")]
    public TimeSpan MaxPassDelay { get; set; } = TimeSpan.FromMinutes(10);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Safety net: the worker looks at the outbox this often even when nothing signalled it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public Uri? DashboardUri => string.IsNullOrWhiteSpace(DashboardBaseUrl) ? null : new Uri(DashboardBaseUrl.EndsWith('/') ? DashboardBaseUrl : DashboardBaseUrl + "/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(DashboardBaseUrl)
            && (!Uri.TryCreate(DashboardBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("Notifications:DashboardBaseUrl must be an absolute http(s) URL, or empty.", [nameof(DashboardBaseUrl)]);
        }
        if (MaxPassDelay < PassDelay)
        {
            yield return new ValidationResult("Notifications:MaxPassDelay must not be shorter than Notifications:PassDelay.", [nameof(MaxPassDelay)]);
        }
    }
}
