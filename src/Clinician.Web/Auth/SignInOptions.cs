using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// Configuration section "Auth:SignIn": how hard password guessing is made. Defaults: five free failures per account
/// and twenty per source address, then a lockout of 30 s that doubles with each further failure up to 5 min.
/// </summary>
public sealed class SignInOptions : IValidatableObject
{
    public const string SectionName = "Auth:SignIn";

    /// <summary>Failed sign-ins to one account (from any source) before it is locked.</summary>
    [Range(1, 100)]
    public int AccountFreeFailures { get; set; } = 5;

    /// <summary>Failed sign-ins from one source address (to any account) before the source is locked. Higher than the
    /// account limit because a ward or office shares one address behind its router.</summary>
    [Range(1, 10_000)]
    public int SourceFreeFailures { get; set; } = 20;

    /// <summary>The first lockout; each further failure doubles it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BaseLockout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest lockout. Kept short (minutes) on purpose: a lockout is also a tool for an attacker against a member
    /// of staff, and a ward cannot wait hours for a password reset. The cap still holds guessing to ~12 tries an hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long failures are remembered after the last one (and after any lockout has ended).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureMemory { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password hashes computed at once. PBKDF2 at 600,000 iterations takes a core for a few hundred ms, so
    /// the default leaves half the cores for device acknowledgements, /health and the dashboard.</summary>
    [Range(1, 64)]
    public int MaxConcurrentHashes { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>Sign-ins allowed to wait for a hash; beyond that the answer is 503 with Retry-After at once.</summary>
    [Range(0, 1_000)]
    public int MaxQueuedHashes { get; set; } = 8;

    /// <summary>Accounts and sources remembered at once (bounds memory under a spray of made-up usernames).</summary>
    [Range(100, 10_000_000)]
    public int MaxTrackedKeys { get; set; } = 100_000;

    /// <summary>How long failed sign-ins stay in the database for admins (GET /api/auth/failures).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan FailureRetention { get; set; } = TimeSpan.FromDays(90);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxLockout < BaseLockout)
        {
            yield return new ValidationResult("Auth:SignIn:MaxLockout must be at least BaseLockout.", [nameof(MaxLockout)]);
        }
        if (FailureMemory <= MaxLockout)
        {
            yield return new ValidationResult(
                "Auth:SignIn:FailureMemory must be longer than MaxLockout, or failures are forgotten during a lockout.", [nameof(FailureMemory)]);
        }
    }
}
