namespace Telehealth.Gateway.Ingress;

/// <summary>
/// What became of one device message. <see cref="MustRetry"/> is set when the message was good but could not be
/// stored: the transport must then not acknowledge it, so the device (or broker session) delivers it again.
/// </summary>
public sealed record DeviceMessageOutcome(int Accepted, int Duplicates, int Rejected, bool MustRetry)
{
    public static DeviceMessageOutcome RetryLater { get; } = new(0, 0, 0, true);
}
