using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telehealth.Alerts.Instances;

/// <summary>
/// This instance's id as a work-lease holder: host name, process id and a random part (so two hosts in one process,
/// as in tests, and a restarted process that got the same pid, are different holders), then, on Linux, where the
/// process runs: <c>@{place}.{start}</c>, a hash of the kernel's boot id and the pid namespace, and the process's start
/// time in clock ticks since boot. Logged; names no person.
/// </summary>
/// <remarks>
/// The place lets an instance see that a lease holder has died without waiting for its lease to run out: a holder
/// from the same boot and pid namespace whose process is gone, or whose pid now belongs to a process started at
/// another time, is dead (<see cref="HasDiedHere"/>). That is the restart of a single instance after a crash, the
/// embedded default's whole story: its followers (dashboards, FHIR, notifications) and escalation resume at start
/// instead of up to a lease later. A holder from anywhere else is never judged: its lease runs out as before.
/// </remarks>
public sealed class InstanceIdentity
{
    private readonly string? _place;

    public InstanceIdentity()
        : this(Environment.ProcessId)
    {
    }

    private InstanceIdentity(int processId)
    {
        _place = CurrentPlace();
        var start = _place is null ? null : StartTicksOf(processId);
        var where = start is null ? "" : string.Create(CultureInfo.InvariantCulture, $"@{_place}.{start}");
        Id = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{processId}:{Guid.NewGuid().ToString("N")[..8]}{where}");
    }

    public string Id { get; }

    /// <summary>The id another process on this machine would have as a holder (tests: a child process that is then killed).</summary>
    public static InstanceIdentity ForProcess(int processId) => new(processId);

    /// <summary>
    /// True only when <paramref name="holder"/> is known dead: an id from this boot and pid namespace whose process has
    /// exited, or whose pid now belongs to a process that started at another time. False when it lives, when it runs
    /// elsewhere (another machine or container), or when its id does not say where (an older version's id).
    /// </summary>
    public bool HasDiedHere(string holder)
    {
        ArgumentNullException.ThrowIfNull(holder);
        if (_place is null || !TryParse(holder, out var place, out var processId, out var start) || place != _place)
        {
            return false;
        }
        return StartTicksOf(processId) != start;
    }

    private static bool TryParse(string holder, out string place, out int processId, out long start)
    {
        place = "";
        processId = 0;
        start = 0;
        var at = holder.LastIndexOf('@');
        if (at < 0)
        {
            return false;
        }
        var where = holder[(at + 1)..].Split('.');
        var who = holder[..at].Split(':');
        if (where.Length != 2 || who.Length < 3
            || !long.TryParse(where[1], NumberStyles.None, CultureInfo.InvariantCulture, out start)
            || !int.TryParse(who[^2], NumberStyles.None, CultureInfo.InvariantCulture, out processId))
        {
            return false;
        }
        place = where[0];
        return true;
    }

    /// <summary>The boot of this kernel and the pid namespace this process sees, hashed short; null off Linux.</summary>
    private static string? CurrentPlace()
    {
        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var namespaceLink = new FileInfo("/proc/self/ns/pid").LinkTarget;
            if (boot.Length == 0 || string.IsNullOrEmpty(namespaceLink))
            {
                return null;
            }
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{boot}|{namespaceLink}")))[..12];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Field 22 of /proc/{pid}/stat (start time in clock ticks after boot), or null when no such process lives (or it is a zombie).</summary>
    private static long? StartTicksOf(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{processId}/stat"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X")
        {
            return null; // exited, not yet reaped by its parent
        }
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }
}
