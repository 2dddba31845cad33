using System.Globalization;
using System.Security.Cryptography;

namespace Telehealth.TestSupport;

/// <summary>
/// The scaled deployment the docs recommend, as local processes: nats-server (JetStream, MQTT listener for devices),
/// influxd for readings, PostgreSQL for the care record, redis-server as the SignalR backplane, and two platform
/// instances as their own processes. <see cref="Services"/> and <see cref="InstanceSettings"/> are also what
/// docker-compose.yml must describe (ComposeTopologyTests compares them), so the file and the tested topology cannot
/// drift apart unnoticed.
/// </summary>
public sealed class SplitTopology : IAsyncDisposable
{
    /// <summary>The services of the topology, named as in docker-compose.yml.</summary>
    public static readonly IReadOnlyList<string> Services = ["nats", "influxdb", "postgres", "redis", "platform-1", "platform-2"];

    private readonly PlatformProcess?[] _instances = new PlatformProcess?[2];
    private readonly int[] _httpPorts = [FreePort.Next(), FreePort.Next()];
    private readonly string[] _dataDirectories;
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly string? _sharedDataDirectory;

    private SplitTopology(NatsServer broker, InfluxServer influx, PostgresServer? postgres, RedisServer redis, string influxDatabase, string? careRecord)
    {
        Broker = broker;
        Influx = influx;
        Postgres = postgres;
        Redis = redis;
        InfluxDatabase = influxDatabase;
        CareRecordConnectionString = careRecord;
        var root = Path.Combine(Path.GetTempPath(), "telehealth-topology-" + Guid.NewGuid().ToString("N"));
        // Without PostgreSQL the two instances share one SQLite file on one host (the pre-PostgreSQL arrangement).
        _sharedDataDirectory = careRecord is null ? Path.Combine(root, "shared") : null;
        _dataDirectories = [_sharedDataDirectory ?? Path.Combine(root, "platform-1"), _sharedDataDirectory ?? Path.Combine(root, "platform-2")];
        Root = root;
    }

    public NatsServer Broker { get; }

    public InfluxServer Influx { get; }

    public PostgresServer? Postgres { get; }

    public RedisServer Redis { get; }

    public string InfluxDatabase { get; }

    /// <summary>The care record's PostgreSQL database, or null when the instances share a SQLite file.</summary>
    public string? CareRecordConnectionString { get; }

    public string AdminPassword { get; } = "Topology-" + Guid.NewGuid().ToString("N")[..12];

    private string Root { get; }

    /// <summary>A running instance (0 or 1).</summary>
    public PlatformProcess Instance(int index) => _instances[index] ?? throw new InvalidOperationException($"platform-{index + 1} is not running.");

    public bool IsRunning(int index) => _instances[index] is { HasExited: false };

    /// <summary>Starts every server, then both platform instances.</summary>
    /// <param name="usePostgres">False: the two instances share one SQLite file instead (one host only).</param>
    public static async Task<SplitTopology> StartAsync(bool usePostgres, TimeSpan ackWait)
    {
        var broker = new NatsServer();
        var influx = new InfluxServer();
        var redis = new RedisServer();
        var postgres = usePostgres ? new PostgresServer() : null;
        await Task.WhenAll(broker.InitializeAsync(), influx.InitializeAsync(), redis.InitializeAsync(), postgres?.InitializeAsync() ?? Task.CompletedTask);
        var influxDatabase = InfluxServer.NewDatabaseName("topology");
        await influx.CreateDatabaseAsync(influxDatabase);
        var careRecord = postgres is null ? null : await postgres.CreateDatabaseAsync(PostgresServer.NewDatabaseName("topology"));
        // The instances pool their connections, as deployed (docker-compose.yml sets no Pooling): the test server's
        // unpooled default made every store call fork a PostgreSQL backend, which is what bounded the split figures.
        careRecord = careRecord is null ? null : new Npgsql.NpgsqlConnectionStringBuilder(careRecord) { Pooling = true }.ConnectionString;
        var topology = new SplitTopology(broker, influx, postgres, redis, influxDatabase, careRecord) { AckWait = ackWait };
        // One after the other: the first creates the schema; the second then finds it made.
        await topology.StartInstanceAsync(0);
        await topology.StartInstanceAsync(1);
        return topology;
    }

    public TimeSpan AckWait { get; private init; }

    /// <summary>
    /// The settings of instance <paramref name="index"/> (0 or 1): everything that makes it part of this topology.
    /// Keys as in appsettings (':'), as docker-compose.yml writes them with '__'.
    /// </summary>
    public Dictionary<string, string?> InstanceSettings(int index)
    {
        var settings = Broker.PlatformSettings(AckWait.ToString("c", CultureInfo.InvariantCulture));
        // One writer of nats-server's users is enough (both would write the same file).
        settings["Mqtt:Nats:Sync:Enabled"] = index == 0 ? "true" : "false";
        if (index != 0)
        {
            settings.Remove("Mqtt:Nats:Sync:AuthorizationFile");
            settings.Remove("Mqtt:Nats:Sync:PidFile");
        }
        settings["Storage:Influx:Url"] = Influx.Url.ToString();
        settings["Storage:Influx:Database"] = InfluxDatabase;
        if (CareRecordConnectionString is not null)
        {
            settings["Storage:Postgres:ConnectionString"] = CareRecordConnectionString;
        }
        settings["Realtime:Redis"] = Redis.Configuration;
        // The same key everywhere, so a token issued by one instance is accepted by the other.
        settings["Auth:SigningKey"] = _signingKey;
        if (CareRecordConnectionString is not null && !settings.Keys.Order(StringComparer.Ordinal).SequenceEqual(SettingKeys(index).Order(StringComparer.Ordinal)))
        {
            // ComposeTopologyTests compares docker-compose.yml with SettingKeys: they must be what the instances really get.
            throw new InvalidOperationException("SplitTopology.SettingKeys is out of date: " + string.Join(", ", settings.Keys));
        }
        return settings;
    }

    /// <summary>
    /// The .NET runtime settings of every instance, environment variables as docker-compose.yml sets them
    /// (ComposeTopologyTests compares). The thread pool's idle workers spin before they sleep (sched_yield in a loop);
    /// on a machine whose few cores also run the broker and the databases that spinning took the cores from them: 40 %
    /// of the instances' perf samples in the split bench, and 10-15 % more CPU per reading than without it (measured
    /// back to back, bench/RESULTS.md).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RuntimeEnvironment = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
    };

    /// <summary>The setting names every instance of the topology gets (values need running servers; names do not).</summary>
    public static IReadOnlyCollection<string> SettingKeys(int index)
    {
        var keys = new List<string>
        {
            "Mqtt:Mode", "Mqtt:Nats:Url", "Mqtt:Nats:Username", "Mqtt:Nats:Password", "Mqtt:Nats:AckWait",
            "Mqtt:Nats:ReconnectDelay", "Mqtt:Nats:RetryDelay", "Mqtt:Nats:Sync:Enabled",
            "Storage:Influx:Url", "Storage:Influx:Database", "Storage:Postgres:ConnectionString", "Realtime:Redis", "Auth:SigningKey",
        };
        if (index == 0)
        {
            keys.AddRange(["Mqtt:Nats:Sync:AuthorizationFile", "Mqtt:Nats:Sync:PidFile"]);
        }
        return keys;
    }

    public async Task StartInstanceAsync(int index)
    {
        if (IsRunning(index))
        {
            throw new InvalidOperationException($"platform-{index + 1} is running.");
        }
        if (_instances[index] is { } dead)
        {
            await dead.DisposeAsync();
        }
        var settings = InstanceSettings(index);
        // These tests send a great many readings from each device in seconds; the per-device rate limit is not under test.
        settings["Devices:MessagesPerSecond"] = "100000";
        settings["Devices:Burst"] = "100000";
        _instances[index] = await PlatformProcess.StartAsync(_dataDirectories[index], AdminPassword, _httpPorts[index], FreePort.Next(), settings: settings,
            environment: RuntimeEnvironment.ToDictionary(e => e.Key, e => (string?)e.Value, StringComparer.Ordinal));
    }

    /// <summary>SIGKILL, as a power cut or the OOM killer would.</summary>
    public async Task KillInstanceAsync(int index)
    {
        await Instance(index).KillAsync();
    }

    /// <summary>Stored readings per device id, counted in InfluxDB itself (not through the platform).</summary>
    public async Task<Dictionary<string, long>> CountStoredReadingsAsync()
    {
        var series = await Influx.QueryAsync(InfluxDatabase, "SELECT count(\"value\") FROM \"vital_reading\" GROUP BY \"device_id\"");
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in series.EnumerateArray())
        {
            var device = item.GetProperty("tags").GetProperty("device_id").GetString()!;
            counts[device] = item.GetProperty("values")[0][1].GetInt64();
        }
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            if (instance is not null)
            {
                await instance.DisposeAsync();
            }
        }
        await Broker.DisposeAsync();
        await Influx.DisposeAsync();
        await Redis.DisposeAsync();
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
        try
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
