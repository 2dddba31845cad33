namespace Telehealth.Contracts.Rejections;

/// <summary>A page of rejections, newest first. <see cref="BeforeId"/> continues from the last id of the previous page.</summary>
public sealed record RejectionQuery(RejectionScope Scope, string? DeviceId, string? Reason, long? BeforeId, int Limit);
