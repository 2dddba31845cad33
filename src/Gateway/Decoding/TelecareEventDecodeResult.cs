using System.Diagnostics.CodeAnalysis;

namespace Telehealth.Gateway.Decoding;

/// <summary>Either the decoded event or why the payload was refused, never both.</summary>
public sealed class TelecareEventDecodeResult
{
    private TelecareEventDecodeResult(DecodedTelecareEvent? telecareEvent, RecordRejection? rejection)
    {
        Event = telecareEvent;
        Rejection = rejection;
    }

    public DecodedTelecareEvent? Event { get; }

    /// <summary>Set when refused; its <see cref="RecordRejection.RecordIndex"/> is always null (an event payload is one message).</summary>
    public RecordRejection? Rejection { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Rejection))]
    public bool IsAccepted => Event is not null;

    public static TelecareEventDecodeResult Accepted(DecodedTelecareEvent telecareEvent) =>
        new(telecareEvent ?? throw new ArgumentNullException(nameof(telecareEvent)), null);

    public static TelecareEventDecodeResult Refused(RecordRejection rejection) =>
        new(null, rejection ?? throw new ArgumentNullException(nameof(rejection)));

    internal static TelecareEventDecodeResult Refused(string reason, string detail) => Refused(new RecordRejection(null, reason, detail));
}
