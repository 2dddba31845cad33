using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telehealth.TestSupport;

/// <summary>
/// The platform as its own operating-system process (<c>dotnet Telehealth.Clinician.Web.dll</c>, the built host), for
/// tests that must kill it the way a power cut or the OOM killer would (SIGKILL) and start it again on the same data.
/// </summary>
public sealed class PlatformProcess : IAsyncDisposable
{
    private readonly ManagedProcess _process;

    private PlatformProcess(ManagedProcess process, int httpPort, int mqttPort)
    {
        _process = process;
        HttpPort = httpPort;
        MqttPort = mqttPort;
    }

    public int HttpPort { get; }

    public int MqttPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public bool HasExited => _process.HasExited;

    /// <summary>The operating-system process id (for measuring its memory from /proc).</summary>
    public int ProcessId => _process.Id;

    public int? ExitCode => _process.ExitCode;

    public string OutputTail => _process.OutputTail;

    /// <param name="crashPoint">A <c>CrashPoints</c> name at which the process kills itself, or null.</param>
    /// <param name="settings">More settings, given as <c>--Key value</c> (e.g. an ingress mode).</param>
    /// <param name="environment">More environment variables (e.g. the .NET runtime's <c>DOTNET_…</c> settings a deployment sets).</param>
    public static async Task<PlatformProcess> StartAsync(string dataDirectory, string adminPassword, int httpPort, int mqttPort, string? crashPoint = null,
        IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>(), StringComparer.Ordinal)
        {
            ["TELEHEALTH_CRASH_POINT"] = crashPoint,
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        var host = Path.Combine(AppContext.BaseDirectory, "Telehealth.Clinician.Web.dll");
        var process = ManagedProcess.Start("dotnet", [
            host,
            "--Urls", $"http://127.0.0.1:{httpPort}",
            "--Mqtt:Embedded:Port", mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Storage:DataDirectory", dataDirectory,
            "--Auth:InitialAdminPassword", adminPassword,
            "--Evaluation:PollInterval", "00:00:00.100",
            .. (settings ?? new Dictionary<string, string?>()).SelectMany(s => new[] { "--" + s.Key, s.Value ?? "" }),
        ], workingDirectory: AppContext.BaseDirectory, environment: variables);
        var platform = new PlatformProcess(process, httpPort, mqttPort);
        using var client = new HttpClient { BaseAddress = platform.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The platform exited at start ({process.ExitCode}):{Environment.NewLine}{process.OutputTail}");
            }
            try
            {
                using var response = await client.GetAsync("/health/ready", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return platform;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // One slow answer while starting.
            }
            await Task.Delay(100, deadline.Token);
        }
    }

    public async Task<HttpClient> CreateStaffClientAsync(string adminPassword)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = adminPassword });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.RootElement.GetProperty("access_token").GetString());
        return client;
    }

    /// <summary>Waits until the evaluation queue is empty (from <c>/health/ready</c>).</summary>
    public async Task WaitForEvaluationAsync(TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync("/health/ready", deadline.Token);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
            if (body.RootElement.GetProperty("evaluation").GetProperty("pending").GetInt32() == 0)
            {
                return;
            }
            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Waits for the process to end by itself (a crash point), at most <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGKILL.</summary>
    public Task KillAsync() => _process.StopAsync(graceful: false);

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
