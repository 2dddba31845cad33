using Telehealth.Contracts.Readings;

namespace Telehealth.Gateway.Decoding;

/// <summary>One SenML record that passed every check.</summary>
/// <param name="Value">In the canonical unit of <paramref name="Kind"/> (<see cref="VitalKinds.CanonicalUnit"/>).</param>
/// <param name="DeviceTime">When the device says it measured, UTC, to the millisecond.</param>
/// <param name="RecordIndex">Zero-based position of the record in the SenML array.</param>
public sealed record DecodedReading(VitalKind Kind, double Value, DateTimeOffset DeviceTime, int RecordIndex);
