using System.ComponentModel.DataAnnotations;
using MimeKit;

namespace Telehealth.Notifications.Email;

/// <summary>
/// Configuration section "Notifications:Smtp". With no <see cref="Host"/> the email channel is off and an email
/// contact's notification is recorded as failed (<c>channel_not_configured</c>), never silently dropped.
/// </summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Notifications:Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpTlsMode Tls { get; set; } = SmtpTlsMode.StartTls;

    /// <summary>Sender address, e.g. <c>telehealth-alerts@trust.nhs.uk</c>.</summary>
    public string? From { get; set; }

    /// <summary>SMTP AUTH user; empty for a relay that needs none. The password comes from the environment or a secret store, never the repository.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Give up on one connection-and-send after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries within one send (connection errors, timeouts, SMTP 4xx).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out _) || !From.Contains('@', StringComparison.Ordinal))
        {
            yield return new ValidationResult("Notifications:Smtp:From must be an email address when Notifications:Smtp:Host is set.", [nameof(From)]);
        }
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Notifications:Smtp:Username and Notifications:Smtp:Password are set together or not at all.", [nameof(Username)]);
        }
        if (!string.IsNullOrEmpty(Username) && Tls == SmtpTlsMode.None)
        {
            yield return new ValidationResult("Notifications:Smtp:Tls None with a password would send it in clear text; use StartTls or SslOnConnect.", [nameof(Tls)]);
        }
    }
}
