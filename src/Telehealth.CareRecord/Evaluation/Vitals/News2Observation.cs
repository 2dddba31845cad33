using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.Evaluation.Vitals;

/// <summary>
/// One input the NEWS2 rule keeps: the latest value of a device parameter, with its effective time (<see cref="At"/>:
/// the device time capped at receipt) and the reading's own device time, which names the very reading the NEWS2
/// assessment is based on (its FHIR basis) without asking the reading store. <see cref="DeviceTime"/> is null only in a
/// state kept before it was recorded (27 November 2026).
/// </summary>
public sealed record News2Observation(VitalKind Kind, double Value, DateTimeOffset At, DateTimeOffset ReceivedAt, string DeviceId,
    DateTimeOffset? DeviceTime = null)
{
    /// <summary>
    /// The reading this observation was taken from, or null when that cannot be told from the state alone: one kept
    /// before the device time was recorded whose effective time is its receipt (its device clock may have run ahead).
    /// </summary>
    public Reading? ToReading(string patientId)
    {
        var deviceTime = DeviceTime ?? (At < ReceivedAt ? At : (DateTimeOffset?)null);
        return deviceTime is { } time ? new Reading(DeviceId, patientId, Kind, Value, time, ReceivedAt) : null;
    }
}
