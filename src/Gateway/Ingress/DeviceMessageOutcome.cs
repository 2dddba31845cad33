namespace Telehealth.Gateway.Ingress;

/// <summary>
/// What became of one device message. <see cref="MustRetry"/> is set when the message was good but could not be
/// stored: the transport must then not acknowledge it, so the device (or broker session) delivers it again.
/// <see cref="IsRateLimited"/> is set when the device was over its rate: the whole message was refused (and recorded),
/// and an MQTT 5 publisher is told so (QuotaExceeded) so it sends again later.
/// </summary>
public sealed record DeviceMessageOutcome(int Accepted, int Duplicates, int Rejected, bool MustRetry)
{
    public static DeviceMessageOutcome RetryLater { get; } = new(0, 0, 0, true);

    public static DeviceMessageOutcome RateLimited { get; } = new(0, 0, 1, false) { IsRateLimited = true };

    public bool IsRateLimited { get; init; }
}
