namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>What became of asking a broker to reload the account files a sync pass wrote.</summary>
public enum ReloadSignal
{
    /// <summary>No pid file configured: the broker reads the files when it next starts.</summary>
    NotConfigured,

    /// <summary>SIGHUP sent.</summary>
    Sent,

    /// <summary>No usable pid in the pid file (not started yet, or starting): retried soon.</summary>
    NoPid,

    /// <summary>kill failed (the pid is stale or not ours): retried soon.</summary>
    Failed,
}
