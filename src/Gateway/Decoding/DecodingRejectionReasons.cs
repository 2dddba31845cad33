using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Reason codes the decoders use that <see cref="RejectionReasons"/> does not (yet) hold.
/// Same stability promise: staff filter on them.
/// </summary>
public static class DecodingRejectionReasons
{
    /// <summary>The device time is older than <see cref="DecodingOptions.MaxAge"/>: most often a device clock that was never set.</summary>
    public const string StaleTimestamp = "stale_timestamp";
}
