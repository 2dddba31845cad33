using System.Globalization;

namespace Telehealth.Alerts.Instances;

/// <summary>
/// This instance's id as a work-lease holder: host name, process id and a random part (so two hosts in one process,
/// as in tests, and a restarted process that got the same pid, are different holders). Logged; names no person.
/// </summary>
public sealed class InstanceIdentity
{
    public string Id { get; } = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
}
