using System.Globalization;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Npgsql;
using Xunit;

namespace Telehealth.TestSupport;

/// <summary>
/// A PostgreSQL server for a test class: a Testcontainers postgres:15 container when a Docker engine exists,
/// otherwise Debian's PostgreSQL 15 as a local process (initdb into a temp folder, then postgres on a free loopback
/// port). PostgreSQL refuses to run as root, so as root both run as the package's `postgres` user through setpriv
/// (which execs in place: the process we hold, and kill, is postgres itself). Use a fresh database per test
/// (<see cref="CreateDatabaseAsync"/>) so tests stay independent while sharing the server.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    public const string User = "telehealth";
    private const string Image = "postgres:15";
    private const int ContainerPort = 5432;
    private const int StartAttempts = 3;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private IContainer? _container;
    private ManagedProcess? _process;
    private string? _folder;
    private string? _host;
    private int _port;

    /// <summary>A connection string to the maintenance database <c>postgres</c>.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>The local postgres's recent output (empty when running in a container), for assertion messages.</summary>
    public string OutputTail => _process?.OutputTail ?? "";

    /// <summary>The local server process, for fault tests (null in a container).</summary>
    public ManagedProcess? Process => _process;

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = _host ?? throw new InvalidOperationException("The PostgreSQL server has not been started."),
        Port = _port,
        Username = User,
        Password = "telehealth",
        Database = database,
        // Tests open and drop many databases: pooled connections would keep a dropped database busy.
        Pooling = false,
    }.ConnectionString;

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
            await _process.StopAsync(graceful: true, TimeSpan.FromSeconds(10));
            await _process.DisposeAsync();
        }
        ServerStartup.DeleteFolder(_folder);
    }

    /// <summary>A database name no other test uses.</summary>
    public static string NewDatabaseName(string prefix = "test") => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await ExecuteAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return ConnectionString(name);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> TryStartContainerAsync()
    {
        IContainer container;
        try
        {
            container = new ContainerBuilder(Image)
                .WithPortBinding(ContainerPort, assignRandomHostPort: true)
                .WithEnvironment("POSTGRES_USER", User)
                .WithEnvironment("POSTGRES_PASSWORD", "telehealth")
                // As the local process does: statement statistics for the bench and the plan tests.
                .WithCommand("-c", "shared_preload_libraries=pg_stat_statements")
                .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("database system is ready to accept connections"))
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
        await WaitForQueryAsync(CancellationToken.None);
        return true;
    }

    private async Task StartLocalAsync()
    {
        var initdb = ServerStartup.RequireExecutable(Path.Combine(BinDirectory, "initdb"), "apt-get install -y postgresql");
        var postgres = ServerStartup.RequireExecutable(Path.Combine(BinDirectory, "postgres"), "apt-get install -y postgresql");
        _folder = ServerStartup.CreateTempFolder("postgres");
        var data = Path.Combine(_folder, "data");
        if (ServerStartup.RunningAsRoot)
        {
            await RunToEndAsync("chown", ["postgres:postgres", _folder]);
        }
        await RunToEndAsync(initdb, ["-D", data, "-A", "trust", "-U", User, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var process = StartAsServerUser(postgres,
            [
                "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", _folder,
                "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "log_min_messages=warning",
                // Which statements cost what (bench/Scale/PostgresActivity reads it); part of Debian's package.
                "-c", "shared_preload_libraries=pg_stat_statements",
            ]);
            _host = "127.0.0.1";
            _port = port;
            try
            {
                await ServerStartup.WaitUntilReadyAsync("postgres", process, async ct =>
                {
                    try
                    {
                        await WaitForQueryAsync(ct);
                        return true;
                    }
                    catch (NpgsqlException)
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

    private async Task WaitForQueryAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static ManagedProcess StartAsServerUser(string executable, IEnumerable<string> arguments) =>
        ServerStartup.RunningAsRoot
            ? ManagedProcess.Start("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable, .. arguments])
            : ManagedProcess.Start(executable, arguments);

    private static async Task RunToEndAsync(string executable, string[] arguments)
    {
        await using var process = executable == "chown" ? ManagedProcess.Start(executable, arguments) : StartAsServerUser(executable, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new ServerStartException(Path.GetFileName(executable), $"failed with exit code {process.ExitCode}", process.OutputTail);
        }
    }
}
