using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>One input the NEWS2 rule keeps: the latest value of a device parameter, with its effective time.</summary>
public sealed record News2Observation(VitalKind Kind, double Value, DateTimeOffset At, DateTimeOffset ReceivedAt, string DeviceId);
