namespace Telehealth.CareRecord.Escalation;

/// <summary>How to reach someone away from the dashboard: an email address, a named webhook target (an SMS gateway, a partner system), or both.</summary>
/// <param name="Webhook">The name of a target in <c>Notifications:Webhooks:Targets</c>; its URL and secret stay in configuration.</param>
public sealed record RotaContact(string? Email, string? Webhook)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Webhook);
}
