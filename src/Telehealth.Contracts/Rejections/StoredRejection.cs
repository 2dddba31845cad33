namespace Telehealth.Contracts.Rejections;

/// <summary>A rejection as kept, with its id (increasing with time; the paging cursor).</summary>
public sealed record StoredRejection(long Id, Rejection Rejection);
