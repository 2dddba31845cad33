namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// Per-account and per-source limits on password guessing, decided before any password work is done.
/// <para>
/// Each key (an account name, a source address) may fail a number of times freely; the failure that reaches the limit
/// locks the key for <see cref="SignInOptions.BaseLockout"/>, and every further failure locks it for twice as long as the
/// one before, up to <see cref="SignInOptions.MaxLockout"/>. After a lockout ends one attempt at a time is let through.
/// Failures are forgotten <see cref="SignInOptions.FailureMemory"/> after the last one; a successful sign-in clears the
/// account (not the source: a guesser with one valid account must not be able to wipe its own record).
/// </para>
/// <para>
/// A locked account cannot be used to lock its owner out: a source with no failures of its own (the staff member's own
/// workstation) may still try it, one attempt at a time. A botnet thus gets one guess per fresh address per lockout,
/// each still limited per source; that is the price of never locking staff out of clinical work.
/// </para>
/// <para>Attempts in flight count against the limits, so parallel guesses cannot all slip in before the first failure is
/// recorded. Pure (no I/O); thread-safe; time from the <see cref="TimeProvider"/>.</para>
/// </summary>
public sealed class SignInThrottle(SignInOptions options, TimeProvider timeProvider)
{
    /// <summary>The wait suggested when only attempts in flight stand in the way.</summary>
    public static readonly TimeSpan InFlightRetryAfter = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, KeyState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeyState> _sources = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Accounts and sources currently remembered (for tests and metrics).</summary>
    public int TrackedKeys
    {
        get
        {
            lock (_gate)
            {
                return _accounts.Count + _sources.Count;
            }
        }
    }

    /// <summary>Decides whether an attempt may go on to the password check, and if so counts it as in flight.</summary>
    public SignInDecision TryBegin(string username, string source)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(source);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var sourceState = Find(_sources, source, now);
            if (Refusal(sourceState, options.SourceFreeFailures, SignInLimit.Source, now) is { } sourceRefusal)
            {
                return sourceRefusal;
            }
            var accountState = Find(_accounts, username, now);
            var sourceIsClean = sourceState is null || (sourceState.Failures == 0 && sourceState.InFlight == 0);
            if (!sourceIsClean && Refusal(accountState, options.AccountFreeFailures, SignInLimit.Account, now) is { } accountRefusal)
            {
                return accountRefusal;
            }
            if ((sourceState is null && !HasRoom(_sources, now)) || (accountState is null && !HasRoom(_accounts, now)))
            {
                return new SignInDecision(false, SignInLimit.Capacity, InFlightRetryAfter, false);
            }
            sourceState ??= _sources[source] = new KeyState();
            accountState ??= _accounts[username] = new KeyState();
            sourceState.InFlight++;
            accountState.InFlight++;
            return SignInDecision.Allow;
        }
    }

    /// <summary>Reports the outcome of an attempt that <see cref="TryBegin"/> allowed.</summary>
    public void Complete(string username, string source, bool succeeded)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            var accountState = _accounts.GetValueOrDefault(username);
            var sourceState = _sources.GetValueOrDefault(source);
            if (accountState is not null)
            {
                accountState.InFlight = Math.Max(0, accountState.InFlight - 1);
            }
            if (sourceState is not null)
            {
                sourceState.InFlight = Math.Max(0, sourceState.InFlight - 1);
            }
            if (succeeded)
            {
                if (accountState is not null)
                {
                    accountState.Reset();
                    RemoveIfIdle(_accounts, username, accountState);
                }
                if (sourceState is not null)
                {
                    RemoveIfIdle(_sources, source, sourceState);
                }
                return;
            }
            if (accountState is not null)
            {
                RecordFailure(accountState, options.AccountFreeFailures, now);
            }
            if (sourceState is not null)
            {
                RecordFailure(sourceState, options.SourceFreeFailures, now);
            }
        }
    }

    /// <summary>Ends an allowed attempt whose password was never checked (the hash queue was full): neither outcome counts.</summary>
    public void Abandon(string username, string source)
    {
        lock (_gate)
        {
            if (_accounts.GetValueOrDefault(username) is { } accountState)
            {
                accountState.InFlight = Math.Max(0, accountState.InFlight - 1);
                RemoveIfIdle(_accounts, username, accountState);
            }
            if (_sources.GetValueOrDefault(source) is { } sourceState)
            {
                sourceState.InFlight = Math.Max(0, sourceState.InFlight - 1);
                RemoveIfIdle(_sources, source, sourceState);
            }
        }
    }

    /// <summary>The lockout after the <paramref name="failures"/>-th failure of a key allowed <paramref name="freeFailures"/>.</summary>
    public static TimeSpan LockoutAfter(int failures, int freeFailures, SignInOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (failures < freeFailures)
        {
            return TimeSpan.Zero;
        }
        // 2^doublings overflows nothing: the exponent is capped where the lockout would pass MaxLockout anyway.
        var doublings = Math.Min(failures - freeFailures, 30);
        var ticks = Math.Min((double)options.BaseLockout.Ticks * Math.Pow(2, doublings), options.MaxLockout.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private void RecordFailure(KeyState state, int freeFailures, DateTimeOffset now)
    {
        state.Failures++;
        state.LastFailure = now;
        var lockout = LockoutAfter(state.Failures, freeFailures, options);
        if (lockout > TimeSpan.Zero)
        {
            state.LockedUntil = now + lockout;
            state.RefusedInLock = false;
        }
    }

    private static SignInDecision? Refusal(KeyState? state, int freeFailures, SignInLimit limit, DateTimeOffset now)
    {
        if (state is null)
        {
            return null;
        }
        if (state.LockedUntil > now)
        {
            var first = !state.RefusedInLock;
            state.RefusedInLock = true;
            return new SignInDecision(false, limit, RoundUpToSeconds(state.LockedUntil - now), first);
        }
        // Below the limit, failures plus attempts still being checked must stay under it; past it (a lockout has
        // ended), one attempt at a time.
        var mayTry = state.Failures < freeFailures ? state.Failures + state.InFlight < freeFailures : state.InFlight == 0;
        return mayTry ? null : new SignInDecision(false, limit, InFlightRetryAfter, false);
    }

    /// <summary>The key's state, or null when it is unknown or everything about it is forgotten (then it is dropped).</summary>
    private KeyState? Find(Dictionary<string, KeyState> table, string key, DateTimeOffset now)
    {
        if (!table.TryGetValue(key, out var state))
        {
            return null;
        }
        if (IsForgotten(state, now))
        {
            table.Remove(key);
            return null;
        }
        return state;
    }

    private bool IsForgotten(KeyState state, DateTimeOffset now) =>
        state.InFlight == 0 && state.LockedUntil <= now && now - state.LastFailure >= options.FailureMemory;

    /// <summary>Room for one more key, sweeping forgotten ones when the table is full.</summary>
    private bool HasRoom(Dictionary<string, KeyState> table, DateTimeOffset now)
    {
        if (table.Count < options.MaxTrackedKeys)
        {
            return true;
        }
        foreach (var (key, state) in table)
        {
            if (IsForgotten(state, now))
            {
                table.Remove(key);
            }
        }
        return table.Count < options.MaxTrackedKeys;
    }

    private static void RemoveIfIdle(Dictionary<string, KeyState> table, string key, KeyState state)
    {
        if (state.InFlight == 0 && state.Failures == 0)
        {
            table.Remove(key);
        }
    }

    private static TimeSpan RoundUpToSeconds(TimeSpan wait) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds)));

    private sealed class KeyState
    {
        public int Failures { get; set; }
        public int InFlight { get; set; }
        public DateTimeOffset LastFailure { get; set; }
        public DateTimeOffset LockedUntil { get; set; }
        public bool RefusedInLock { get; set; }

        public void Reset()
        {
            Failures = 0;
            LockedUntil = default;
            RefusedInLock = false;
        }
    }
}
