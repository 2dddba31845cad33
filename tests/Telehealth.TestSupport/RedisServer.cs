using System.Globalization;
using System.Net.Sockets;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Xunit;

namespace Telehealth.TestSupport;

/// <summary>
/// A Redis server for a test class: a Testcontainers redis:7 container when a Docker engine exists, otherwise
/// Debian's /usr/bin/redis-server on a free loopback port with persistence off (a SignalR backplane keeps nothing).
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string RedisServerPath = "/usr/bin/redis-server";
    private const string Image = "redis:7";
    private const int ContainerPort = 6379;
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private IContainer? _container;
    private ManagedProcess? _process;
    private string? _folder;
    private string? _host;
    private int _port;

    /// <summary>A StackExchange.Redis configuration string, e.g. 127.0.0.1:41234.</summary>
    public string Configuration => $"{_host ?? throw new InvalidOperationException("The Redis server has not been started.")}:{_port.ToString(CultureInfo.InvariantCulture)}";

    public string Host => _host ?? throw new InvalidOperationException("The Redis server has not been started.");

    public int Port => _port;

    /// <summary>The local redis-server process, for fault tests (null in a container).</summary>
    public ManagedProcess? Process => _process;

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
    }

    /// <summary>Sends PING over the Redis protocol and expects +PONG: the server answers commands, not just accepts TCP.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Host, _port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[16];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
    }

    private async Task<bool> TryStartContainerAsync()
    {
        IContainer container;
        try
        {
            container = new ContainerBuilder(Image)
                .WithPortBinding(ContainerPort, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("Ready to accept connections"))
                .Build();
        }
        catch (DockerUnavailableException)
        {
            return false;
        }
        await container.StartAsync();
        _container = container;
        _host = container.Hostname;
        _port = container.GetMappedPublicPort(ContainerPort);
        return true;
    }

    private async Task StartLocalAsync()
    {
        var redis = ServerStartup.RequireExecutable(RedisServerPath, "apt-get install -y redis-server");
        _folder = ServerStartup.CreateTempFolder("redis");
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var process = ManagedProcess.Start(redis,
            [
                "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", _folder,
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "warning",
            ]);
            _host = "127.0.0.1";
            _port = port;
            try
            {
                await ServerStartup.WaitUntilReadyAsync("redis-server", process, async ct =>
                {
                    try
                    {
                        return await PingAsync(ct);
                    }
                    catch (SocketException)
                    {
                        return false;
                    }
                }, ReadyTimeout);
                _process = process;
                return;
            }
            catch (ServerStartException) when (attempt < StartAttempts && process.HasExited)
            {
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }
}
