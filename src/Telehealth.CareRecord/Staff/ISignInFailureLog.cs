namespace Telehealth.CareRecord.Staff;

/// <summary>Refused sign-ins, kept for admins (who tried which account from where, and why it was refused); pruned by age.</summary>
public interface ISignInFailureLog
{
    Task RecordAsync(DateTimeOffset at, string username, string source, string reason, CancellationToken cancellationToken = default);

    /// <summary>Newest first; <paramref name="beforeId"/> continues a page (the last id of the previous one).</summary>
    Task<IReadOnlyList<SignInFailure>> PageAsync(int limit, long? beforeId, CancellationToken cancellationToken = default);

    /// <summary>Deletes failures recorded before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
