using System.Globalization;
using System.Text;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Xunit;

namespace Telehealth.TestSupport;

/// <summary>
/// A mosquitto 2 broker for a test class: a Testcontainers eclipse-mosquitto:2 container when a Docker engine
/// exists, otherwise a local /usr/sbin/mosquitto on a free 127.0.0.1 port with its own config folder. Derive a
/// parameterless subclass to use other <see cref="MosquittoServerOptions"/> as an xunit fixture.
/// </summary>
public class MosquittoServer : IAsyncLifetime
{
    public const string MosquittoPath = "/usr/sbin/mosquitto";
    public const string MosquittoPasswdPath = "/usr/bin/mosquitto_passwd";
    private const string Image = "eclipse-mosquitto:2";
    private const string InstallHint = "apt-get install -y mosquitto mosquitto-clients";
    private const int ContainerPort = 1883;
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private readonly MosquittoServerOptions _options;
    private IContainer? _container;
    private ManagedProcess? _process;
    private string? _folder;
    private int _port;

    public MosquittoServer()
        : this(new MosquittoServerOptions())
    {
    }

    public MosquittoServer(MosquittoServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public string Host { get; private set; } = "127.0.0.1";

    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The mosquitto broker has not been started.");

    public MosquittoServerOptions Options => _options;

    /// <summary>The local broker's recent log (empty when running in a container), for assertion messages.</summary>
    public string OutputTail => _process?.OutputTail ?? "";

    public bool IsRunning => _container is not null ? _container.State == TestcontainersStates.Running : _process is { HasExited: false };

    public async Task InitializeAsync()
    {
        _folder = ServerStartup.CreateTempFolder("mosquitto");
        await WriteSecurityFilesAsync();
        if (ServerStartup.ContainersAllowed && !_options.LocalOnly && await TryStartContainerAsync())
        {
            return;
        }
        for (var attempt = 1; ; attempt++)
        {
            _port = _options.Port ?? FreePort.Next();
            try
            {
                await StartLocalAsync();
                return;
            }
            catch (ServerStartException) when (attempt < StartAttempts && _options.Port is null && _process is { HasExited: true })
            {
                // Most likely the port was taken between FreePort.Next() and the bind: try another.
                await _process.DisposeAsync();
                _process = null;
            }
        }
    }

    public async Task DisposeAsync()
    {
        await StopAsync(graceful: false);
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        ServerStartup.DeleteFolder(_folder);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops the broker. Graceful is SIGTERM (persistence saved); otherwise SIGKILL, like a crash.</summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_container is not null)
        {
            await _container.StopAsync();
            return;
        }
        if (_process is not null)
        {
            await _process.StopAsync(graceful);
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts the broker again on the same port with the same config (and persistence folder).</summary>
    public async Task StartAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
            return;
        }
        if (_process is not null)
        {
            throw new InvalidOperationException("The mosquitto broker is already running.");
        }
        await StartLocalAsync();
    }

    /// <summary>
    /// Sends the local broker a signal by its PID (1, SIGHUP: reload the password and ACL files); 0 when sent.
    /// </summary>
    public int Signal(int signal) =>
        _process?.Signal(signal) ?? throw new InvalidOperationException("Signals reach only a local mosquitto process (LocalOnly).");

    public async Task RestartAsync(bool graceful = true)
    {
        await StopAsync(graceful);
        await StartAsync();
    }

    private async Task StartLocalAsync()
    {
        var mosquitto = ServerStartup.RequireExecutable(MosquittoPath, InstallHint);
        var config = Path.Combine(_folder!, "mosquitto.conf");
        await File.WriteAllTextAsync(config, Config(_folder!, $"listener {_port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1", forContainer: false));
        _process = ManagedProcess.Start(mosquitto, ["-c", config]);
        await ServerStartup.WaitUntilReadyAsync("mosquitto", _process, ct => ServerStartup.AcceptsTcpAsync(Host, _port, ct), ReadyTimeout);
    }

    private async Task<bool> TryStartContainerAsync()
    {
        IContainer container;
        // A fixed host port, so a restarted container is found where it was.
        var port = FreePort.Next();
        try
        {
            var builder = new ContainerBuilder(Image)
                .WithPortBinding(port, ContainerPort)
                .WithResourceMapping(Encoding.UTF8.GetBytes(Config("/mosquitto/config", $"listener {ContainerPort}", forContainer: true)), "/mosquitto/config/mosquitto.conf")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(ContainerPort));
            foreach (var file in new[] { "passwd", "acl" })
            {
                var path = Path.Combine(_folder!, file);
                if (File.Exists(path))
                {
                    builder = builder.WithResourceMapping(await File.ReadAllBytesAsync(path), $"/mosquitto/config/{file}");
                }
            }
            container = builder.Build();
        }
        catch (DockerUnavailableException)
        {
            // No Docker engine here (measured: thrown within ~0.2 s): use the local mosquitto instead.
            return false;
        }
        await container.StartAsync();
        _container = container;
        Host = container.Hostname;
        _port = port;
        return true;
    }

    private async Task WriteSecurityFilesAsync()
    {
        if (_options.Users.Count == 0)
        {
            return;
        }
        var passwd = ServerStartup.RequireExecutable(MosquittoPasswdPath, InstallHint);
        var passwordFile = Path.Combine(_folder!, "passwd");
        var first = true;
        foreach (var (user, password) in _options.Users)
        {
            string[] arguments = first ? ["-b", "-c", passwordFile, user, password] : ["-b", passwordFile, user, password];
            first = false;
            await using var process = ManagedProcess.Start(passwd, arguments);
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new ServerStartException("mosquitto_passwd", $"exited with code {process.ExitCode} for user {user}", process.OutputTail);
            }
        }

        var acl = new StringBuilder();
        foreach (var service in _options.ServiceUsers)
        {
            acl.Append("user ").Append(service).Append('\n').Append("topic readwrite #\n");
        }
        // %u is the MQTT username: a device may publish only under its own id.
        acl.Append("pattern write telehealth/v1/devices/%u/#\n");
        await File.WriteAllTextAsync(Path.Combine(_folder!, "acl"), acl.ToString());
    }

    private string Config(string folder, string listener, bool forContainer)
    {
        var config = new StringBuilder();
        if (!forContainer && ServerStartup.RunningAsRoot)
        {
            // Started as root, mosquitto drops to user "mosquitto", which cannot read our 0700 temp folder.
            config.Append("user root\n");
        }
        config.Append("per_listener_settings false\n")
            .Append(listener).Append('\n')
            .Append("allow_anonymous ").Append(_options.AllowAnonymous ? "true" : "false").Append('\n')
            .Append("max_queued_messages ").Append(_options.MaxQueuedMessages.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("max_inflight_messages ").Append(_options.MaxInflightMessages.ToString(CultureInfo.InvariantCulture)).Append('\n')
            // As deploy/mosquitto/mosquitto.conf: without it, Nagle's algorithm on the broker's sockets held small
            // PUBACKs and deliveries back against the clients' delayed ACKs (bench/RESULTS.md, 28 November).
            .Append("set_tcp_nodelay true\n")
            .Append("log_dest stderr\n")
            .Append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
        if (_options.Users.Count > 0)
        {
            config.Append("password_file ").Append(folder).Append("/passwd\n")
                .Append("acl_file ").Append(folder).Append("/acl\n");
        }
        if (_options.Persistence)
        {
            var data = forContainer ? "/mosquitto/data" : Path.Combine(folder, "data");
            Directory.CreateDirectory(forContainer ? Path.Combine(_folder!, "data") : data);
            config.Append("persistence true\n")
                .Append("persistence_location ").Append(data).Append("/\n")
                .Append("autosave_interval 1\n");
        }
        else
        {
            config.Append("persistence false\n");
        }
        foreach (var line in _options.ExtraConfigLines)
        {
            config.Append(line).Append('\n');
        }
        return config.ToString();
    }
}
