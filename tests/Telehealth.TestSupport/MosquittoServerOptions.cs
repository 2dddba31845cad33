namespace Telehealth.TestSupport;

/// <summary>How a test's mosquitto is configured. The defaults suit a plain anonymous broker for pipeline tests.</summary>
public sealed class MosquittoServerOptions
{
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>A fixed loopback port (for a client configured before the broker starts); a free one when null.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// Username → password. When any are given, a password file is written with mosquitto_passwd and an ACL lets
    /// each user write only under telehealth/v1/devices/{username}/ (a device publishes as its own id).
    /// </summary>
    public IReadOnlyDictionary<string, string> Users { get; init; } = new Dictionary<string, string>();

    /// <summary>Users among <see cref="Users"/> that may read and write every topic (ingest, dashboards, test probes).</summary>
    public IReadOnlyList<string> ServiceUsers { get; init; } = [];

    /// <summary>Off by default; turn on for restart tests where sessions and queued QoS 1 messages must survive.</summary>
    public bool Persistence { get; init; }

    /// <summary>mosquitto's default of 1000 drops QoS 1 messages for a slow subscriber while still acking the publisher.</summary>
    public int MaxQueuedMessages { get; init; } = 100_000;

    /// <summary>mosquitto's default of 20 is below the batched manual acks the ingest pipeline holds.</summary>
    public int MaxInflightMessages { get; init; } = 1_000;

    /// <summary>
    /// Always a local process, never a container: for tests whose broker shares files with the platform (a password
    /// file and ACL the platform writes, a pid file it signals, certificates the test generated).
    /// </summary>
    public bool LocalOnly { get; init; }

    /// <summary>Extra lines appended verbatim to mosquitto.conf.</summary>
    public IReadOnlyList<string> ExtraConfigLines { get; init; } = [];
}
