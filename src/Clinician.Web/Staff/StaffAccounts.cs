using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Staff;

/// <summary>
/// Managing staff accounts: create without overwriting, list, disable, and whether an account may still act.
/// Disabling keeps the row, so the account's name stays on the alerts, calls and audit rows it made and cannot be
/// taken by someone else.
/// </summary>
public sealed class StaffAccounts(IStaffStore store, TimeProvider timeProvider)
{
    public const string AccountDisabled = "account_disabled";

    public Task<StaffCreateResult> CreateAsync(StaffUser user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        // One insert with the real hash: two admins creating the same username cannot both succeed.
        return store.CreateAsync(user, StaffDirectory.HashNew(password), timeProvider.GetUtcNow(), cancellationToken);
    }

    /// <param name="teamId">Only this team's staff when set.</param>
    public Task<IReadOnlyList<StaffAccount>> ListAsync(string? teamId, CancellationToken cancellationToken = default) =>
        store.ListAsync(teamId, cancellationToken);

    public async Task<StaffAccount?> GetAsync(string username, CancellationToken cancellationToken = default) =>
        (await ListAsync(null, cancellationToken)).FirstOrDefault(a => a.Username == username);

    /// <summary>False when there is no such account; disabling a disabled account keeps its first time.</summary>
    public Task<bool> DisableAsync(string username, CancellationToken cancellationToken = default) =>
        store.DisableAsync(username, timeProvider.GetUtcNow(), cancellationToken);

    /// <summary>
    /// Whether a token's holder may still act: their account is not disabled. Checked on every request, so a disabled
    /// account's unexpired tokens stop working at once, on every instance sharing the database. (Accounts are never
    /// deleted, so a token we signed names an account that exists.)
    /// </summary>
    public Task<bool> IsActiveAsync(string username, CancellationToken cancellationToken = default) =>
        store.IsActiveAsync(username, cancellationToken);
}
