using System.Globalization;
using Telehealth.TestSupport;

namespace Telehealth.Bench.BrokerCrash;

/// <summary>
/// RabbitMQ 3.10 with its MQTT plugin, as a local node with its own epmd (own ERL_EPMD_PORT), cookie (HOME), node name,
/// Mnesia and log folders. A clean-session=false subscriber gets a durable queue; QoS 1 publishes are persistent and
/// the plugin sends PUBACK when the queue has confirmed the message.
/// </summary>
internal sealed class RabbitMqCrashBroker : CrashableBroker
{
    private readonly int _epmdPort = FreePort.Next();
    private readonly int _amqpPort = FreePort.Next();
    private readonly int _distPort = FreePort.Next();
    private readonly string _nodeName = "bench" + Guid.NewGuid().ToString("N")[..8] + "@localhost";
    private ManagedProcess? _epmd;

    public RabbitMqCrashBroker()
        : base("RabbitMQ 3.10 MQTT plugin (durable queue)")
    {
    }

    public override string Configuration => "rabbitmq_mqtt, clean session false (durable queue), QoS 1 (persistent messages, PUBACK on confirm)";

    protected override ManagedProcess Launch()
    {
        // Our own epmd on our own port, started once and kept across broker restarts (it holds no broker state).
        _epmd ??= ManagedProcess.Start("/usr/bin/epmd", ["-port", _epmdPort.ToString(CultureInfo.InvariantCulture)]);
        File.WriteAllText(Path.Combine(Folder, "rabbitmq.conf"), string.Create(CultureInfo.InvariantCulture, $"""
            listeners.tcp.default = 127.0.0.1:{_amqpPort}
            mqtt.listeners.tcp.default = 127.0.0.1:{MqttPort}
            mqtt.allow_anonymous = true
            loopback_users = none

            """));
        File.WriteAllText(Path.Combine(Folder, "enabled_plugins"), "[rabbitmq_mqtt].\n");
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = Folder, // its own .erlang.cookie, not the shared one
            ["ERL_EPMD_PORT"] = _epmdPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_NODENAME"] = _nodeName,
            ["RABBITMQ_NODE_PORT"] = _amqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = _distPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(Folder, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(Folder, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(Folder, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(Folder, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(Folder, "rabbitmq-env.conf"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(Folder, "enabled_plugins"),
            ["RABBITMQ_PLUGINS_EXPAND_DIR"] = Path.Combine(Folder, "plugins-expand"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(Folder, "rabbitmq.pid"),
        };
        return ManagedProcess.Start("/usr/lib/rabbitmq/bin/rabbitmq-server", [], Folder, environment);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_epmd is not null)
        {
            await _epmd.DisposeAsync();
        }
    }
}
