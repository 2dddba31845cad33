using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>Why a record (or a whole message) was refused.</summary>
/// <param name="RecordIndex">Zero-based SenML record position; null when the whole message was refused.</param>
/// <param name="Reason">A <see cref="RejectionReasons"/> code.</param>
/// <param name="Detail">Names the record, the field and the limit broken; never the person's measured value.</param>
public sealed record RecordRejection(int? RecordIndex, string Reason, string Detail);
