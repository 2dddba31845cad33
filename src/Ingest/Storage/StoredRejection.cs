using Telehealth.Contracts.Rejections;

namespace Telehealth.Ingest.Storage;

/// <summary>A rejection as kept, with its id (increasing with time; the paging cursor).</summary>
public sealed record StoredRejection(long Id, Rejection Rejection);
