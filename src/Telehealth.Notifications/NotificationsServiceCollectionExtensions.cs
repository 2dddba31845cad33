using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Email;
using Telehealth.Notifications.Outbox;
using Telehealth.Notifications.Webhooks;

namespace Telehealth.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Notification channels (<see cref="SmtpEmailChannel"/>, <see cref="SignedWebhookChannel"/>), the outbox
    /// (<see cref="NotificationOutbox"/>, on the platform's IOutboxStore) and its <see cref="NotificationDeliveryWorker"/>. Options from
    /// "Notifications", "Notifications:Smtp" and "Notifications:Webhooks", validated at start. The host registers a
    /// singleton SqliteDatabase and an <see cref="INotificationOutcomeRecorder"/> (the alert core's).
    /// </summary>
    public static IServiceCollection AddTelehealthNotifications(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NotificationOutboxOptions>().BindConfiguration(NotificationOutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<INotificationOutbox, NotificationOutbox>();
        services.AddSingleton<INotificationChannel, SmtpEmailChannel>();
        // The pipeline's timeout bounds each attempt; the HttpClient's own timeout would cut across retries.
        services.AddHttpClient(SignedWebhookChannel.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<INotificationChannel>(provider => new SignedWebhookChannel(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(SignedWebhookChannel.HttpClientName),
            provider.GetRequiredService<IOptions<WebhookOptions>>(),
            provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<NotificationDeliveryWorker>();
        return services;
    }
}
