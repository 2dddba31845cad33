namespace Telehealth.Contracts.Rejections;

/// <summary>
/// Input the platform refused, with a machine-readable reason code and a human detail.
/// Details name fields and limits, never a person's values beyond what the device sent about itself.
/// </summary>
public sealed record Rejection(
    DateTimeOffset At,
    string? DeviceId,
    string Source,
    string Reason,
    string Detail);
