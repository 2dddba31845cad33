using System.Globalization;
using Telehealth.TestSupport;

namespace Telehealth.Bench.BrokerCrash;

/// <summary>
/// mosquitto 2.0 with persistence. It keeps queued messages in memory and writes its whole database to
/// mosquitto.db every <c>autosave_interval</c> seconds, or (with <c>autosave_on_changes</c>) after that many changes.
/// </summary>
internal sealed class MosquittoCrashBroker(int autosaveInterval, bool autosaveOnChanges)
    : CrashableBroker(autosaveOnChanges ? $"mosquitto (autosave_on_changes, every {autosaveInterval} change)" : $"mosquitto (autosave_interval {autosaveInterval} s)")
{
    public override string Configuration => autosaveOnChanges
        ? $"persistence true, autosave_on_changes true, autosave_interval {autosaveInterval}"
        : $"persistence true, autosave_interval {autosaveInterval}";

    protected override ManagedProcess Launch()
    {
        var config = Path.Combine(Folder, "mosquitto.conf");
        File.WriteAllText(config, string.Create(CultureInfo.InvariantCulture, $"""
            listener {MqttPort} 127.0.0.1
            allow_anonymous true
            user root
            persistence true
            persistence_location {Folder}/
            autosave_interval {autosaveInterval}
            autosave_on_changes {(autosaveOnChanges ? "true" : "false")}
            max_queued_messages 0
            max_queued_bytes 0
            max_inflight_messages 0
            log_dest none

            """));
        return ManagedProcess.Start("/usr/sbin/mosquitto", ["-c", config]);
    }
}
