using System.Globalization;
using Telehealth.TestSupport;

namespace Telehealth.Bench.BrokerCrash;

/// <summary>NATS 2.9 with JetStream (file store) and its MQTT listener: QoS 1 sessions and messages live in JetStream streams.</summary>
internal sealed class NatsCrashBroker() : CrashableBroker("NATS 2.9 JetStream MQTT")
{
    public override string Configuration => "jetstream file store (default sync), mqtt listener, clean session false";

    protected override ManagedProcess Launch()
    {
        var config = Path.Combine(Folder, "nats.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $$"""
            listen: 127.0.0.1:-1
            server_name: bench_crash
            jetstream { store_dir: "{{Folder}}/js" }
            mqtt { listen: 127.0.0.1:{{MqttPort}} }

            """));
        return ManagedProcess.Start("/usr/sbin/nats-server", ["-c", config]);
    }
}
