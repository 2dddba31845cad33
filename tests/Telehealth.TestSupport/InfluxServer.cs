using System.Globalization;
using System.Net;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Xunit;

namespace Telehealth.TestSupport;

/// <summary>
/// An InfluxDB 1.x server for a test class: a Testcontainers influxdb:1.8 container when a Docker engine exists,
/// otherwise a local /usr/bin/influxd on free loopback ports with its own temp folders. Use a fresh database per
/// test (<see cref="CreateDatabaseAsync"/>) so tests stay independent while sharing the process.
/// </summary>
public sealed class InfluxServer : IAsyncLifetime
{
    public const string InfluxdPath = "/usr/bin/influxd";
    private const string Image = "influxdb:1.8";
    private const int ContainerPort = 8086;
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private IContainer? _container;
    private ManagedProcess? _process;
    private string? _folder;
    private string? _config;
    private Uri? _url;

    /// <summary>Base address of the HTTP API, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url => _url ?? throw new InvalidOperationException("The InfluxDB server has not been started.");

    /// <summary>The local influxd's recent output (empty when running in a container), for assertion messages.</summary>
    public string OutputTail => _process?.OutputTail ?? "";

    public async Task InitializeAsync()
    {
        if (ServerStartup.ContainersAllowed && await TryStartContainerAsync())
        {
            return;
        }
        await StartLocalAsync();
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        ServerStartup.DeleteFolder(_folder);
        _http.Dispose();
    }

    /// <summary>Stops the local influxd (SIGTERM, or SIGKILL when not graceful); its ports and data stay for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_process is null)
        {
            throw new InvalidOperationException("Only a local influxd can be stopped and started again.");
        }
        await _process.StopAsync(graceful);
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Starts the stopped local influxd again on the same ports and data, like a restarted server.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null || _config is null || _url is null)
        {
            throw new InvalidOperationException("influxd is running, or was never started locally.");
        }
        var process = ManagedProcess.Start(InfluxdPath, ["-config", _config]);
        var url = _url;
        await ServerStartup.WaitUntilReadyAsync("influxd", process, async ct =>
        {
            using var response = await _http.GetAsync(new Uri(url, "ping"), ct);
            return response.StatusCode == HttpStatusCode.NoContent;
        }, ReadyTimeout);
        _process = process;
    }

    /// <summary>Runs one InfluxQL query and returns the first statement's series (name, tags and rows of values).</summary>
    public async Task<JsonElement> QueryAsync(string database, string influxQl, CancellationToken cancellationToken = default)
    {
        var address = new Uri(Url, $"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(influxQl)}");
        using var response = await _http.GetAsync(address, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"InfluxDB refused '{influxQl}': HTTP {(int)response.StatusCode} {body}");
        }
        using var document = JsonDocument.Parse(body);
        var result = document.RootElement.GetProperty("results")[0];
        return result.TryGetProperty("series", out var series) ? series.Clone() : JsonDocument.Parse("[]").RootElement.Clone();
    }

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabaseName(string prefix = "test") =>
        $"{prefix}_{Guid.NewGuid():N}";

    public Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);

    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"DROP DATABASE \"{name}\"", cancellationToken);

    /// <summary>Runs one InfluxQL statement with POST /query and fails on an HTTP error or a statement error.</summary>
    public async Task ExecuteAsync(string influxQl, CancellationToken cancellationToken = default)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = influxQl });
        using var response = await _http.PostAsync(new Uri(Url, "query"), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"InfluxDB refused '{influxQl}': HTTP {(int)response.StatusCode} {body}");
        }
    }

    private async Task<bool> TryStartContainerAsync()
    {
        IContainer container;
        try
        {
            container = new ContainerBuilder(Image)
                .WithPortBinding(ContainerPort, assignRandomHostPort: true)
                .WithEnvironment("INFLUXDB_REPORTING_DISABLED", "true")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request =>
                    request.ForPort(ContainerPort).ForPath("/ping").ForStatusCode(HttpStatusCode.NoContent)))
                .Build();
        }
        catch (DockerUnavailableException)
        {
            // No Docker engine here (measured: thrown within ~0.2 s): use the local influxd instead.
            return false;
        }
        await container.StartAsync();
        _container = container;
        _url = new Uri($"http://{container.Hostname}:{container.GetMappedPublicPort(ContainerPort)}/");
        return true;
    }

    private async Task StartLocalAsync()
    {
        var influxd = ServerStartup.RequireExecutable(InfluxdPath, "apt-get install -y influxdb");
        _folder = ServerStartup.CreateTempFolder("influxd");
        for (var attempt = 1; ; attempt++)
        {
            var httpPort = FreePort.Next();
            var rpcPort = FreePort.Next();
            var config = Path.Combine(_folder, "influxdb.conf");
            await File.WriteAllTextAsync(config, Config(_folder, httpPort, rpcPort));
            var process = ManagedProcess.Start(influxd, ["-config", config]);
            var url = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}/");
            try
            {
                await ServerStartup.WaitUntilReadyAsync("influxd", process, async ct =>
                {
                    using var response = await _http.GetAsync(new Uri(url, "ping"), ct);
                    return response.StatusCode == HttpStatusCode.NoContent;
                }, ReadyTimeout);
                _process = process;
                _url = url;
                _config = config;
                return;
            }
            catch (ServerStartException) when (attempt < StartAttempts && process.HasExited)
            {
                // Most likely a port taken between FreePort.Next() and the bind: try again with new ports.
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }

    private static string Config(string folder, int httpPort, int rpcPort)
    {
        string Quote(string path) => JsonSerializer.Serialize(path);
        return $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpcPort}"

            [meta]
              dir = {Quote(Path.Combine(folder, "meta"))}
              logging-enabled = false

            [data]
              dir = {Quote(Path.Combine(folder, "data"))}
              wal-dir = {Quote(Path.Combine(folder, "wal"))}
              query-log-enabled = false

            [http]
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false

            [monitor]
              store-enabled = false

            [continuous_queries]
              enabled = true
              log-enabled = false
              run-interval = "1s"
            """;
    }
}
