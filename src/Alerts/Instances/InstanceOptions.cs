using System.ComponentModel.DataAnnotations;

namespace Telehealth.Alerts.Instances;

/// <summary>Several instances on one care record, bound from section "Instances" and validated at start.</summary>
public sealed class InstanceOptions
{
    public const string SectionName = "Instances";

    /// <summary>
    /// How long a work lease (an alert event follower, the escalation timers) lasts unless renewed. The holder renews it
    /// every third of this and stops the work if a renewal has not succeeded by two thirds; the other instances ask
    /// every third of this. So when the holder dies, another instance takes the work over within
    /// <c>LeaseDuration × 4/3</c> of the holder's last renewal (20 s at the default 15 s); a holder that stops cleanly
    /// hands it over within a third (5 s). Keep it well above the clock skew between instances.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true,
        ErrorMessage = "Instances:LeaseDuration must be between 1 second and 5 minutes.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Take a lease at once from a holder that is known dead: one that ran on this machine, in this pid namespace, and
    /// whose process is gone (<see cref="InstanceIdentity.HasDiedHere"/>): a single instance restarted after a crash
    /// resumes its followers and escalation at start, not a lease later. Holders elsewhere are never judged. Off: wait
    /// for every lease to run out, as between machines.
    /// </summary>
    public bool TakeOverFromDeadLocalHolders { get; set; } = true;
}
