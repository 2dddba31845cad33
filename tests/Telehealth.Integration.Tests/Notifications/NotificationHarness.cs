using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telehealth.CareRecord;
using Telehealth.Notifications.Channels;
using Telehealth.Notifications.Email;
using Telehealth.Notifications.Outbox;
using Telehealth.Notifications.Webhooks;
using Telehealth.TestSupport;
using Telehealth.Storage.Sqlite;

namespace Telehealth.Integration.Tests.Notifications;

/// <summary>
/// The notification outbox, its worker and both channels, on a real SQLite file, talking to the real test servers;
/// timings shortened so retries play out in milliseconds (the policy is the production one).
/// </summary>
internal sealed class NotificationHarness : IAsyncDisposable
{
    public const string Secret = "test-secret-0123456789-0123456789-abcdef";

    private readonly string _folder;
    private readonly NotificationDeliveryWorker _worker;
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    private NotificationHarness(string folder, SmtpOptions smtp, WebhookOptions webhooks, NotificationOutboxOptions outbox)
    {
        _folder = folder;
        var database = new SqliteDatabase(Path.Combine(folder, "telehealth.db"));
        Outbox = new SqliteNotificationOutbox(database, TimeProvider.System);
        INotificationChannel[] channels =
        [
            new SmtpEmailChannel(Options.Create(smtp), TimeProvider.System),
            new SignedWebhookChannel(_http, Options.Create(webhooks), TimeProvider.System),
        ];
        _worker = new NotificationDeliveryWorker(Outbox, channels, Recorder, Options.Create(outbox), TimeProvider.System, NullLogger<NotificationDeliveryWorker>.Instance);
    }

    public SqliteNotificationOutbox Outbox { get; }

    public RecordingOutcomeRecorder Recorder { get; } = new();

    public static async Task<NotificationHarness> StartAsync(
        SmtpTestServer? smtp = null, WebhookTestReceiver? receiver = null, string[]? webhookTargets = null,
        int retries = 2, int maxPasses = 3, TimeSpan? requestTimeout = null)
    {
        var folder = Directory.CreateTempSubdirectory("telehealth-notify-").FullName;
        var smtpOptions = new SmtpOptions
        {
            Host = smtp?.Host, Port = smtp?.Port ?? 25, Tls = SmtpTlsMode.None, From = "alerts@telehealth.test",
            Timeout = TimeSpan.FromSeconds(10), MaxRetryAttempts = retries, RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        };
        var webhookOptions = new WebhookOptions
        {
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10), MaxRetryAttempts = retries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromSeconds(5),
        };
        foreach (var target in webhookTargets ?? [])
        {
            webhookOptions.Targets[target] = new WebhookTarget { Url = receiver!.UrlOf(target).ToString(), Secret = Secret + target };
        }
        var outboxOptions = new NotificationOutboxOptions
        {
            MaxPasses = maxPasses, PassDelay = TimeSpan.FromMilliseconds(50), MaxPassDelay = TimeSpan.FromMilliseconds(200),
            PollInterval = TimeSpan.FromMilliseconds(100),
        };
        var harness = new NotificationHarness(folder, smtpOptions, webhookOptions, outboxOptions);
        await harness._worker.StartAsync(CancellationToken.None);
        return harness;
    }

    public static Notification Notification(string recipient, int step = 0, Guid? alertId = null, AlertSeverity severity = AlertSeverity.Critical, string condition = "news2")
    {
        var id = alertId ?? Guid.NewGuid();
        var raised = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        return new Notification(
            Key: $"{id:N}:{step}:{recipient}", AlertId: id, IncidentId: Guid.NewGuid(), PatientRef: "pat-0001", TeamId: "team-a",
            Severity: severity, Condition: condition, Code: "news2_emergency", Recipient: recipient, RecipientKind: "staff", Step: step,
            Reason: "Not acknowledged by 09:30 UTC (step 1): next on the duty rota notified", RaisedAt: raised,
            RespondBy: raised.AddMinutes(30), AlertUrl: new Uri($"https://telehealth.test/?alert={id}"), CreatedAt: raised);
    }

    public Task<int> EnqueueAsync(params NotificationRequest[] requests) => Outbox.EnqueueAsync(requests);

    public async ValueTask DisposeAsync()
    {
        await _worker.StopAsync(CancellationToken.None);
        _worker.Dispose();
        _http.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
