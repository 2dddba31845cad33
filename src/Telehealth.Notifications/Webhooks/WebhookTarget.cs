namespace Telehealth.Notifications.Webhooks;

/// <summary>
/// One receiver of signed webhooks (an SMS gateway, a GP practice system, out-of-hours, ambulance), configured as
/// <c>Notifications:Webhooks:Targets:{name}</c>. Rotas name the target; the URL and secret live only in configuration
/// (environment or secret store), never in the repository or the database.
/// </summary>
public sealed class WebhookTarget
{
    /// <summary>https URL (http only to a loopback address, for a relay on the same host or tests).</summary>
    public string? Url { get; set; }

    /// <summary>Shared secret for the HMAC-SHA256 signature, at least 32 characters, one per target.</summary>
    public string? Secret { get; set; }
}
