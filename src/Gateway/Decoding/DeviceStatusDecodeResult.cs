using System.Diagnostics.CodeAnalysis;

namespace Telehealth.Gateway.Decoding;

/// <summary>Either the decoded status (a heartbeat) or why the payload was refused, never both.</summary>
public sealed class DeviceStatusDecodeResult
{
    private DeviceStatusDecodeResult(DecodedDeviceStatus? status, RecordRejection? rejection)
    {
        Status = status;
        Rejection = rejection;
    }

    public DecodedDeviceStatus? Status { get; }

    /// <summary>Set when refused; its <see cref="RecordRejection.RecordIndex"/> is always null (a status payload is one message).</summary>
    public RecordRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Status))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsAccepted => Status is not null;

    public static DeviceStatusDecodeResult Accepted(DecodedDeviceStatus status) =>
        new(status ?? throw new ArgumentNullException(nameof(status)), null);

    public static DeviceStatusDecodeResult Refused(RecordRejection rejection) =>
        new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)));

    internal static DeviceStatusDecodeResult Refused(string reason, string detail) => Refused(new RecordRejection(null, reason, detail));
}
