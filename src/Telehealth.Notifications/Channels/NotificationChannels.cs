namespace Telehealth.Notifications.Channels;

/// <summary>Channel names as they appear in rota contacts, the outbox and the alert event log.</summary>
public static class NotificationChannels
{
    public const string Email = "email";
    public const string Webhook = "webhook";
}
