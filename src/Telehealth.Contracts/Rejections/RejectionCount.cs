namespace Telehealth.Contracts.Rejections;

/// <summary>Kept rejections of one device (null: none or unknown) for one reason, and when the newest was recorded.</summary>
public sealed record RejectionCount(string? DeviceId, string Reason, long Count, DateTimeOffset LastAt);
