namespace Telehealth.CareRecord.Audit;

/// <summary>The append-only audit of views and changes of people's records.</summary>
public interface IAuditLog
{
    Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>Matching rows, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
