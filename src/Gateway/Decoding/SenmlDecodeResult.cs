namespace Telehealth.Gateway.Decoding;

/// <summary>
/// What a SenML message yielded: the records accepted and, for every record refused, why. Good records of a
/// mixed message are still accepted. A whole-message problem gives no accepted records and one rejection
/// whose <see cref="RecordRejection.RecordIndex"/> is null.
/// </summary>
public sealed record SenmlDecodeResult(IReadOnlyList<DecodedReading> Accepted, IReadOnlyList<RecordRejection> Rejected)
{
    public bool IsWholeMessageRejected => Accepted.Count == 0 && Consciousness.Count == 0 && Rejected.Count == 1 && Rejected[0].RecordIndex is null;

    /// <summary>ACVPU records accepted (record name <c>consciousness</c>, level in 'vs').</summary>
    public IReadOnlyList<DecodedConsciousness> Consciousness { get; init; } = [];

    internal static SenmlDecodeResult WholeMessage(string reason, string detail) =>
        new([], [new RecordRejection(null, reason, detail)]);
}
