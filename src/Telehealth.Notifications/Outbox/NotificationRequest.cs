using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Outbox;

/// <summary>Put <see cref="Notification"/> on <see cref="Channel"/> to <see cref="Address"/> (email address or webhook target name).</summary>
public sealed record NotificationRequest(Notification Notification, string Channel, string Address);
