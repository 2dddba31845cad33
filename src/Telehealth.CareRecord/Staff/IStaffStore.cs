namespace Telehealth.CareRecord.Staff;

/// <summary>
/// Staff accounts as stored. Hashing passwords is the caller's (the web host's sign-in, which meters it); the store
/// keeps salts and hashes. Accounts are disabled, never deleted, so a name stays on the alerts, calls and audit rows
/// it made and cannot be taken by someone else.
/// </summary>
public interface IStaffStore
{
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="username"/> is a member of staff of <paramref name="teamId"/>.</summary>
    Task<bool> IsInTeamAsync(string username, string teamId, CancellationToken cancellationToken = default);

    /// <summary>Creates the account, or resets its password, role and team (and enables it) when it exists.</summary>
    Task UpsertAsync(StaffUser user, StaffPasswordHash password, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Creates the account; <see cref="StaffCreateResult.DuplicateUsername"/> when the name is taken (never overwrites).</summary>
    Task<StaffCreateResult> CreateAsync(StaffUser user, StaffPasswordHash password, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The account and its password hash when it exists and is not disabled; null otherwise.</summary>
    Task<StoredStaffCredential?> FindActiveAsync(string username, CancellationToken cancellationToken = default);

    /// <param name="teamId">Only this team's staff when set.</param>
    Task<IReadOnlyList<StaffAccount>> ListAsync(string? teamId, CancellationToken cancellationToken = default);

    /// <summary>False when there is no such account; disabling a disabled account keeps its first time.</summary>
    Task<bool> DisableAsync(string username, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>False only for a disabled account.</summary>
    Task<bool> IsActiveAsync(string username, CancellationToken cancellationToken = default);
}
