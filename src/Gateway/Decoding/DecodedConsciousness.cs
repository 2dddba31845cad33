using Telehealth.Contracts.Observations;

namespace Telehealth.Gateway.Decoding;

/// <summary>One SenML consciousness record that passed every check.</summary>
/// <param name="ObservedAt">When the device says it assessed, UTC, to the millisecond.</param>
/// <param name="RecordIndex">Zero-based position of the record in the SenML array.</param>
public sealed record DecodedConsciousness(AcvpuLevel Level, DateTimeOffset ObservedAt, int RecordIndex);
