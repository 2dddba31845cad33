using Telehealth.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Telehealth.Integration.Tests.Operations;

/// <summary>
/// docker-compose.yml must describe the topology that SplitTopologyFaultMatrixTests runs as local processes: the same
/// services, and on each platform instance every setting that makes it part of that topology, pointing at the right
/// service. No Docker engine runs here, so this is how the file is kept honest.
/// </summary>
public sealed class ComposeTopologyTests
{
    private static readonly YamlMappingNode Compose = Load();

    /// <summary>Settings the local topology sets for the test's sake (short delays, a pid file on one host), not part of the deployment.</summary>
    private static readonly HashSet<string> TestOnly = new(StringComparer.Ordinal)
    {
        "Mqtt:Nats:ReconnectDelay", "Mqtt:Nats:RetryDelay", "Mqtt:Nats:Sync:PidFile",
    };

    [Fact]
    public void The_compose_file_has_exactly_the_services_of_the_tested_topology()
    {
        var services = Services().Children.Keys.Select(key => ((YamlScalarNode)key).Value!).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(SplitTopology.Services.Order(StringComparer.Ordinal).ToArray(), services);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Each_platform_instance_in_the_compose_file_has_every_setting_of_the_tested_instance(int index)
    {
        var tested = TestedSettingKeys(index);
        var environment = Environment($"platform-{index + 1}");

        var missing = tested.Where(key => !environment.ContainsKey(key) && !TestOnly.Contains(key)).Order(StringComparer.Ordinal).ToArray();

        Assert.Empty(missing);
        Assert.Equal("NatsJetStream", environment["Mqtt:Mode"]);
        Assert.Equal("nats://nats:4222", environment["Mqtt:Nats:Url"]);
        Assert.Equal("http://influxdb:8086", environment["Storage:Influx:Url"]);
        Assert.Equal("redis:6379", environment["Realtime:Redis"]);
        Assert.StartsWith("Host=postgres;", environment["Storage:Postgres:ConnectionString"], StringComparison.Ordinal);
        // One writer of nats-server's users, as in the tested topology.
        Assert.Equal(index == 0 ? "true" : "false", environment["Mqtt:Nats:Sync:Enabled"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Each_platform_instance_in_the_compose_file_has_the_runtime_environment_of_the_tested_instance(int index)
    {
        var environment = Environment($"platform-{index + 1}");

        Assert.NotEmpty(SplitTopology.RuntimeEnvironment);
        foreach (var (name, value) in SplitTopology.RuntimeEnvironment)
        {
            Assert.True(environment.TryGetValue(name, out var composed), $"docker-compose.yml does not set {name} for platform-{index + 1}");
            Assert.Equal(value, composed);
        }
        // And the other way: every .NET runtime setting of the file is one the tested topology runs with.
        Assert.Equal(SplitTopology.RuntimeEnvironment.Keys.Order(StringComparer.Ordinal),
            environment.Keys.Where(key => key.StartsWith("DOTNET_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Both_instances_share_the_signing_key_and_the_care_record_and_the_broker_is_stopped_in_lame_duck_mode()
    {
        var first = Environment("platform-1");
        var second = Environment("platform-2");

        Assert.Equal(first["Auth:SigningKey"], second["Auth:SigningKey"]);
        Assert.Equal(first["Storage:Postgres:ConnectionString"], second["Storage:Postgres:ConnectionString"]);
        var nats = (YamlMappingNode)Services()[new YamlScalarNode("nats")];
        Assert.Equal("SIGUSR2", ((YamlScalarNode)nats[new YamlScalarNode("stop_signal")]).Value);
        var config = File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "nats", "nats.conf"));
        Assert.Contains("jetstream {", config, StringComparison.Ordinal);
        Assert.Contains("mqtt {", config, StringComparison.Ordinal);
        // platform-1 writes the users file where nats-server includes it from (the shared volume nats-accounts).
        Assert.Contains("include \"accounts/auth.conf\"", config, StringComparison.Ordinal);
        Assert.Equal("/nats/accounts/auth.conf", first["Mqtt:Nats:Sync:AuthorizationFile"]);
    }

    private static HashSet<string> TestedSettingKeys(int index)
    {
        // The keys only: building the settings needs no running server beyond their addresses, which are not compared.
        var keys = new HashSet<string>(StringComparer.Ordinal)
        {
            "Mqtt:Mode", "Mqtt:Nats:Url", "Mqtt:Nats:Username", "Mqtt:Nats:Password", "Mqtt:Nats:AckWait",
            "Mqtt:Nats:ReconnectDelay", "Mqtt:Nats:RetryDelay", "Mqtt:Nats:Sync:Enabled",
            "Storage:Influx:Url", "Storage:Influx:Database", "Storage:Postgres:ConnectionString", "Realtime:Redis", "Auth:SigningKey",
        };
        if (index == 0)
        {
            keys.UnionWith(["Mqtt:Nats:Sync:AuthorizationFile", "Mqtt:Nats:Sync:PidFile"]);
        }
        Assert.Equal(keys.Order(StringComparer.Ordinal), SplitTopology.SettingKeys(index).Order(StringComparer.Ordinal));
        return keys;
    }

    private static Dictionary<string, string> Environment(string service)
    {
        var node = (YamlMappingNode)Services()[new YamlScalarNode(service)];
        var environment = (YamlMappingNode)node[new YamlScalarNode("environment")];
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in environment.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (name == "<<" && value is YamlMappingNode merged)
            {
                foreach (var (k, v) in merged.Children)
                {
                    settings.TryAdd(((YamlScalarNode)k).Value!.Replace("__", ":", StringComparison.Ordinal), ((YamlScalarNode)v).Value!);
                }
                continue;
            }
            settings[name.Replace("__", ":", StringComparison.Ordinal)] = ((YamlScalarNode)value).Value!;
        }
        return settings;
    }

    private static YamlMappingNode Services() => (YamlMappingNode)Compose[new YamlScalarNode("services")];

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Telehealth.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("Telehealth.sln not found above the test folder.");
    }
}
