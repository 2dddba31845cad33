using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Alerts.Escalation;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Alerting;
using Telehealth.Notifications.Outbox;
using Telehealth.TestSupport;
using Telehealth.Storage.Sqlite.Escalation;

namespace Telehealth.Integration.Tests.Escalation;

/// <summary>
/// The real platform on a fake clock (FakeTimeProvider, started at the real time so staff tokens stay valid), sending
/// email to a real SMTP server and webhooks to a real receiver. Time moves only when a test advances it; after each
/// move the harness waits until escalation, the log's followers and the notification outbox have all caught up, so
/// "nothing more was sent" is a fact, not a hope.
/// </summary>
internal sealed class EscalationHarness : IAsyncDisposable
{
    public const string WebhookSecret = "ambulance-secret-0123456789-0123456789";

    private readonly SmtpTestServer _smtp;
    private readonly WebhookTestReceiver? _receiver;
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];

    private EscalationHarness(SmtpTestServer smtp, WebhookTestReceiver? receiver, FakeTimeProvider clock)
    {
        _smtp = smtp;
        _receiver = receiver;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public TelehealthPlatform Platform { get; private set; } = null!;

    public HttpClient Staff { get; private set; } = null!;

    public static async Task<EscalationHarness> StartAsync(SmtpTestServer smtp, WebhookTestReceiver? receiver = null)
    {
        var harness = new EscalationHarness(smtp, receiver, new FakeTimeProvider(DateTimeOffset.UtcNow));
        harness.Platform = await harness.StartPlatformAsync();
        harness.Staff = await harness.Platform.CreateStaffClientAsync();
        return harness;
    }

    /// <summary>An email address unique to this test, so tests sharing the SMTP server never see each other's mail.</summary>
    public string Email(string who) => $"{who}.{_suffix}@trust.test";

    /// <summary>Stops the platform (its data kept) and starts it again on the same data folder and clock; <paramref name="whileDown"/> passes while it is down.</summary>
    public async Task RestartAsync(TimeSpan whileDown)
    {
        Platform.KeepData = true;
        Staff.Dispose();
        await Platform.DisposeAsync();
        Clock.Advance(whileDown);
        Platform = await StartPlatformAsync(Platform.DataDirectory, Platform.AdminPassword);
        // The token from before the restart: same signing key (data folder), and a new one would be dated on the fake clock.
        Staff = Platform.CreateAnonymousClient();
        Staff.DefaultRequestHeaders.Authorization = _token;
        await QuietAsync();
    }

    private AuthenticationHeaderValue? _token;

    private async Task<TelehealthPlatform> StartPlatformAsync(string? dataDirectory = null, string? adminPassword = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:DashboardBaseUrl"] = "https://telehealth.test/",
            ["Notifications:Smtp:Host"] = _smtp.Host,
            ["Notifications:Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Tls"] = "None",
            ["Notifications:Smtp:From"] = "alerts@telehealth.test",
        };
        if (_receiver is not null)
        {
            settings["Notifications:Webhooks:Targets:ambulance:Url"] = _receiver.UrlOf("ambulance").ToString();
            settings["Notifications:Webhooks:Targets:ambulance:Secret"] = WebhookSecret;
        }
        var platform = await TelehealthPlatform.StartAsync(settings, dataDirectory, adminPassword,
            services => services.AddSingleton<TimeProvider>(Clock));
        if (_token is null)
        {
            _token = new AuthenticationHeaderValue("Bearer", await platform.GetTokenAsync());
        }
        return platform;
    }

    public async Task<HttpResponseMessage> PutRotaAsync(object rota)
    {
        var response = await Staff.PutAsJsonAsync("/api/teams/team-community-rehab/rota", rota);
        return response;
    }

    /// <summary>Shifts for <paramref name="usernames"/> covering the next day, each with its own unique email address.</summary>
    public object[] Shifts(params string[] usernames) => usernames
        .Select(u => (object)new { username = u, email = Email(u), start = Clock.GetUtcNow().AddHours(-1), end = Clock.GetUtcNow().AddDays(1) })
        .ToArray();

    /// <summary>A pendant press from a new patient's alarm; returns the alert's id once escalation has settled.</summary>
    public async Task<Guid> PressPendantAsync()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Escalation Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pendant_alarm");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        await device.PublishEventAsync("""{"event":"pendant_press"}""");
        await QuietAsync();
        var alerts = await Platform.Services.GetRequiredService<IAlertStore>().ListActiveForPatientAsync(patientId);
        return Assert.Single(alerts).Id;
    }

    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        // A real clock moves while the worker works out how long to sleep; this one jumps. A worker that computed its
        // sleep just before the jump would sleep that long from after it: the nudge makes it look again, as it would
        // have on a clock that runs.
        Platform.Services.GetRequiredService<SqliteEscalationTimers>().Changed.Notify();
        await QuietAsync();
    }

    public async Task AcknowledgeAsync(Guid alertId)
    {
        var response = await Staff.PostAsync($"/api/alerts/{alertId}/acknowledge", null);
        response.EnsureSuccessStatusCode();
        await QuietAsync();
    }

    /// <summary>Every recipient of this test's mail, in order of arrival (local part only: nurse1, lead...).</summary>
    public IReadOnlyList<string> EmailedInOrder() => _smtp.Messages()
        .SelectMany(m => m.Recipients)
        .Where(r => r.EndsWith($".{_suffix}@trust.test", StringComparison.Ordinal))
        .Select(r => r[..r.IndexOf('.', StringComparison.Ordinal)])
        .ToList();

    public async Task<IReadOnlyList<AlertEventRecord>> EventsAsync(Guid alertId) =>
        await Platform.Services.GetRequiredService<IAlertEventLog>().ForAlertAsync(alertId);

    /// <summary>The escalated events' subjects, in log order.</summary>
    public async Task<IReadOnlyList<string>> EscalatedToAsync(Guid alertId) =>
        (await EventsAsync(alertId)).Where(e => e.Type == AlertEventType.Escalated).Select(e => e.Event.Subject!).ToList();

    /// <summary>
    /// Waits until nothing is left to do at the current fake time: no escalation timer due, the evaluation queue
    /// empty, every follower at the log's end, no notification pending or unrecorded (each delivered to the real
    /// SMTP server or receiver, and its outcome in the log).
    /// </summary>
    public async Task QuietAsync()
    {
        var timers = Platform.Services.GetRequiredService<SqliteEscalationTimers>();
        var outbox = Platform.Services.GetRequiredService<INotificationOutbox>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            await Platform.SettledAsync();
            var due = await timers.DueAsync(Clock.GetUtcNow(), 1, deadline.Token);
            var pending = await outbox.PendingAsync(1, deadline.Token);
            var unrecorded = await outbox.UnrecordedAsync(1, deadline.Token);
            if (due.Count == 0 && pending.Count == 0 && unrecorded.Count == 0)
            {
                // One more look: a delivery recorded just now is an event the followers must also have seen.
                await Platform.SettledAsync();
                if ((await timers.DueAsync(Clock.GetUtcNow(), 1, deadline.Token)).Count == 0 && (await outbox.PendingAsync(1, deadline.Token)).Count == 0)
                {
                    return;
                }
            }
            await Task.Delay(20, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Staff.Dispose();
        await Platform.DisposeAsync();
    }
}
