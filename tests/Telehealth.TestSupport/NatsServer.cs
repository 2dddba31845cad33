using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Telehealth.TestSupport;

/// <summary>
/// A local nats-server (Debian's package) with JetStream (file store in a temp folder) and its MQTT listener, each on a
/// free 127.0.0.1 port, plus its monitoring port (JetStream consumer state for assertions). Its users come from an
/// included authorization file, <see cref="AuthorizationFile"/>: at first only the platform's service user, then
/// whatever the platform's <c>NatsAccountSync</c> writes there (it signals reloads through <see cref="PidFile"/>).
/// Stopping and starting again keeps the ports, the JetStream store and the users, like a restarted server.
/// </summary>
public sealed class NatsServer : IAsyncLifetime, IAsyncDisposable
{
    public const string NatsServerPath = "/usr/sbin/nats-server";
    public const string ServiceUser = "telehealth-ingest";
    private const string InstallHint = "apt-get install -y nats-server";
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private string? _folder;
    private ManagedProcess? _process;

    /// <summary>The platform's service password on this server (random per fixture).</summary>
    public string ServicePassword { get; } = Guid.NewGuid().ToString("N");

    public int ClientPort { get; private set; }

    public int MqttPort { get; private set; }

    public int MonitorPort { get; private set; }

    public string Url => $"nats://127.0.0.1:{ClientPort.ToString(CultureInfo.InvariantCulture)}";

    public string AuthorizationFile => Path.Combine(Folder, "auth.conf");

    public string PidFile => Path.Combine(Folder, "nats.pid");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's recent log (e.g. its "Publish Violation" lines), for assertions and failure messages.</summary>
    public string OutputTail => _process?.OutputTail ?? "";

    private string Folder => _folder ?? throw new InvalidOperationException("nats-server has not been started.");

    /// <summary>Settings that put a platform in NatsJetStream mode against this server, keeping its users in sync.</summary>
    public Dictionary<string, string?> PlatformSettings(string ackWait = "00:00:05") => new()
    {
        ["Mqtt:Mode"] = "NatsJetStream",
        ["Mqtt:Nats:Url"] = Url,
        ["Mqtt:Nats:Username"] = ServiceUser,
        ["Mqtt:Nats:Password"] = ServicePassword,
        ["Mqtt:Nats:AckWait"] = ackWait,
        ["Mqtt:Nats:ReconnectDelay"] = "00:00:00.200",
        ["Mqtt:Nats:RetryDelay"] = "00:00:00.200",
        ["Mqtt:Nats:Sync:Enabled"] = "true",
        ["Mqtt:Nats:Sync:AuthorizationFile"] = AuthorizationFile,
        ["Mqtt:Nats:Sync:PidFile"] = PidFile,
    };

    public async Task InitializeAsync()
    {
        ServerStartup.RequireExecutable(NatsServerPath, InstallHint);
        _folder = ServerStartup.CreateTempFolder("nats");
        // Plain text is accepted by nats-server (with a warning); the platform's first sync replaces it with bcrypt.
        await File.WriteAllTextAsync(AuthorizationFile, $$"""
            authorization {
              users = [
                { user: "{{ServiceUser}}", password: "{{ServicePassword}}" }
              ]
            }

            """);
        for (var attempt = 1; ; attempt++)
        {
            (ClientPort, MqttPort, MonitorPort) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
            try
            {
                await StartAsync();
                return;
            }
            catch (ServerStartException) when (attempt < StartAttempts && _process is { HasExited: true })
            {
                // Most likely a port was taken between FreePort.Next() and the bind: try others.
                await _process.DisposeAsync();
                _process = null;
            }
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync(graceful: false);
        ServerStartup.DeleteFolder(_folder);
        _folder = null;
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>Sends nats-server a signal by its PID (1, SIGHUP: reload its configuration); 0 when sent.</summary>
    public int Signal(int signal) =>
        _process?.Signal(signal) ?? throw new InvalidOperationException("nats-server is not running.");

    /// <summary>Starts the server (again) on the same ports, store and users.</summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("nats-server is already running.");
        }
        var config = Path.Combine(Folder, "nats.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            listen: 127.0.0.1:{{ClientPort}}
            http: 127.0.0.1:{{MonitorPort}}
            server_name: telehealth_test
            pid_file: "{{PidFile}}"
            # The shortest nats-server allows; a lame-duck stop (LameDuckStopAsync) takes about this long.
            lame_duck_duration: "30s"
            lame_duck_grace_period: "1s"
            jetstream { store_dir: "{{Folder}}/js" }
            mqtt { listen: 127.0.0.1:{{MqttPort}} }
            include "auth.conf"

            """));
        _process = ManagedProcess.Start(NatsServerPath, ["-c", config]);
        await ServerStartup.WaitUntilReadyAsync("nats-server", _process,
            async ct => await ServerStartup.AcceptsTcpAsync("127.0.0.1", ClientPort, ct) && await ServerStartup.AcceptsTcpAsync("127.0.0.1", MqttPort, ct),
            ReadyTimeout);
    }

    /// <summary>Stops the server: SIGTERM when graceful, otherwise SIGKILL (a crash: nothing flushed on the way out).</summary>
    public async Task StopAsync(bool graceful)
    {
        if (_process is not null)
        {
            await _process.StopAsync(graceful);
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>
    /// Stops the server the way the docs tell operators to (SIGUSR2, lame-duck mode): it refuses new connections, closes
    /// the existing ones over <c>lame_duck_duration</c> while JetStream keeps running, then exits. A plain SIGTERM stop
    /// of nats-server 2.9 acknowledges a device's last QoS 1 messages and then drops them (measured by
    /// SplitTopologyFaultMatrixTests; docs/architecture.md).
    /// </summary>
    public async Task LameDuckStopAsync()
    {
        if (_process is null)
        {
            return;
        }
        const int sigusr2 = 12;
        if (_process.Signal(sigusr2) == 0)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await _process.WaitForExitAsync(deadline.Token);
        }
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>A durable consumer's state from the monitoring endpoint (<c>/jsz</c>); null when it does not exist.</summary>
    public async Task<NatsConsumerState?> GetConsumerAsync(string stream, string consumer)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{MonitorPort.ToString(CultureInfo.InvariantCulture)}"), Timeout = TimeSpan.FromSeconds(10) };
        var jsz = await http.GetFromJsonAsync<JsonElement>("/jsz?consumers=true");
        if (!jsz.TryGetProperty("account_details", out var accounts))
        {
            return null;
        }
        foreach (var s in accounts.EnumerateArray().SelectMany(a => a.TryGetProperty("stream_detail", out var d) ? d.EnumerateArray() : Enumerable.Empty<JsonElement>()))
        {
            if (s.GetProperty("name").GetString() != stream || !s.TryGetProperty("consumer_detail", out var consumers))
            {
                continue;
            }
            foreach (var c in consumers.EnumerateArray().Where(c => c.GetProperty("name").GetString() == consumer))
            {
                return new NatsConsumerState(
                    c.GetProperty("delivered").GetProperty("consumer_seq").GetInt64(),
                    c.GetProperty("num_ack_pending").GetInt64(),
                    c.GetProperty("num_redelivered").GetInt64(),
                    c.GetProperty("num_pending").GetInt64());
            }
        }
        return null;
    }
}
