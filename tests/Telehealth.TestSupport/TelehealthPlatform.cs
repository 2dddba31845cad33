using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.Alerts.Recording;
using Telehealth.Contracts.Evaluation;
using Telehealth.Gateway.Mqtt;
using Telehealth.CareRecord.Alerting;

namespace Telehealth.TestSupport;

/// <summary>
/// The real platform process, in-process: Kestrel on a free loopback port (real HTTP, WebSockets for SignalR),
/// the embedded MQTT broker on another free port, and a fresh data folder. Nothing is faked.
/// </summary>
public sealed class TelehealthPlatform : IAsyncDisposable
{
    public const string AdminUsername = "admin";

    /// <summary>The team the admin (and staff made without a team) belongs to: the platform's default team.</summary>
    public const string DefaultTeamId = "team-community-rehab";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly string _dataDirectory;

    private TelehealthPlatform(WebApplicationFactory<Program> factory, string dataDirectory, string adminPassword)
    {
        _factory = factory;
        _dataDirectory = dataDirectory;
        AdminPassword = adminPassword;
    }

    public string AdminPassword { get; }

    /// <summary>The platform's data folder (SQLite file, keys); pass it to <see cref="StartAsync"/> to restart on the same data.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>When set, disposing stops the platform but leaves its data folder for a restart (the restarted platform deletes it).</summary>
    public bool KeepData { get; set; }

    public Uri BaseAddress => _factory.ClientOptions.BaseAddress;

    public IServiceProvider Services => _factory.Services;

    /// <summary>The embedded broker's port (0 when the platform was started against an external broker).</summary>
    public int MqttPort => Services.GetService<EmbeddedMqttBroker>()?.Port ?? 0;

    /// <param name="dataDirectory">An existing data folder to start on (a restart); a fresh one when null.</param>
    /// <param name="adminPassword">The admin password already stored in <paramref name="dataDirectory"/> (a restart); a new one when null.</param>
    /// <param name="configureServices">Replaces services after the platform's own registrations (e.g. a part on a fake clock).</param>
    public static async Task<TelehealthPlatform> StartAsync(
        IDictionary<string, string?>? settings = null, string? dataDirectory = null, string? adminPassword = null,
        Action<IServiceCollection>? configureServices = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "telehealth-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        adminPassword ??= "test-" + Guid.NewGuid().ToString("N");
        var configuration = new Dictionary<string, string?>
        {
            // Port 0: each platform gets its own free port, so test classes can run side by side.
            ["Urls"] = "http://127.0.0.1:0",
            ["Storage:DataDirectory"] = dataDirectory,
            ["Mqtt:Embedded:Port"] = "0",
            ["Auth:InitialAdminPassword"] = adminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in configuration)
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(configuration));
            if (configureServices is not null)
            {
                builder.ConfigureTestServices(configureServices);
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var platform = new TelehealthPlatform(factory, dataDirectory, adminPassword);
        await Task.CompletedTask;
        return platform;
    }

    /// <summary>
    /// Waits until everything acknowledged so far has been evaluated (the evaluation queue is empty) and every alert
    /// event follower (SignalR, FHIR) has handled every recorded event. A device's PUBACK means "stored and due";
    /// tests that look at alerts or FHIR Flags after publishing wait for this instead of sleeping.
    /// </summary>
    public async Task SettledAsync(TimeSpan? timeout = null)
    {
        var queue = Services.GetRequiredService<IEvaluationQueue>();
        var log = Services.GetRequiredService<IAlertEventLog>();
        var followers = Services.GetServices<IAlertEventFollower>().Select(f => f.Name).ToList();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var (pending, _) = await queue.PendingAsync(deadline.Token);
            var latest = await log.LatestSequenceAsync(deadline.Token);
            var behind = false;
            foreach (var follower in followers)
            {
                behind |= (await log.GetCursorAsync(follower, deadline.Token) ?? -1) < latest;
            }
            if (pending == 0 && !behind)
            {
                return;
            }
            await Task.Delay(10, deadline.Token);
        }
    }

    public HttpClient CreateAnonymousClient() => new() { BaseAddress = BaseAddress };

    public async Task<string> GetTokenAsync(string username = AdminUsername, string? password = null)
    {
        using var client = CreateAnonymousClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password = password ?? AdminPassword });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    public async Task<HttpClient> CreateStaffClientAsync()
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync());
        return client;
    }

    /// <summary>
    /// A signed-in client of a member of staff made for the test (straight into the staff table, as an admin would):
    /// the role decides what it may do (PermissionMatrix), e.g. only a clinician changes thresholds.
    /// </summary>
    public async Task<HttpClient> CreateStaffClientAsync(string username, string role, string teamId = DefaultTeamId)
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Services.GetRequiredService<Telehealth.Clinician.Web.Auth.StaffDirectory>()
            .UpsertAsync(new Telehealth.CareRecord.Staff.StaffUser(username, role, teamId), password);
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(username, password));
        return client;
    }

    public static async Task<string> CreatePatientAsync(HttpClient staff, string displayName = "Test Person", int news2Scale = 1, bool onOxygen = false)
    {
        var response = await staff.PostAsJsonAsync("/api/patients", new { displayName, news2Scale, onSupplementalOxygen = onOxygen });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<(string DeviceId, string Secret)> RegisterDeviceAsync(HttpClient staff, string patientId, string type = "pulse_oximeter")
    {
        var response = await staff.PostAsJsonAsync("/api/devices", new { patientId, type });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("deviceId").GetString()!, body.RootElement.GetProperty("secret").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (KeepData)
        {
            return;
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner; the next run uses a new folder.
        }
    }
}
