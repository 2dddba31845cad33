using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Evaluation;

/// <summary>
/// Stored data (or a rule's timer) whose evaluation is durably recorded as due. It carries the data itself, so
/// evaluating it needs no second read of the reading store (which may be InfluxDB, far from the care record).
/// </summary>
/// <param name="Sequence">Queue order: a patient's items are evaluated in this order.</param>
/// <param name="Attempts">Failed evaluations so far (each is retried after a back-off).</param>
/// <param name="Timer">For <see cref="DueItemKind.Timer"/>: which rule asked to be woken, and for when.</param>
/// <param name="Consciousness">For <see cref="DueItemKind.Consciousness"/>: the ACVPU assessment recorded.</param>
/// <param name="Reassess">For <see cref="DueItemKind.Reassess"/>: what changed in the care record, and when.</param>
public sealed record DueItem(
    long Sequence,
    string PatientId,
    DueItemKind Kind,
    Reading? Reading,
    TelecareEvent? Event,
    int Attempts,
    DeviceStatusReport? Status = null,
    RuleTimer? Timer = null,
    ConsciousnessObservation? Consciousness = null,
    CareRecordChange? Reassess = null)
{
    public static DueItem ForReading(long sequence, Reading reading, int attempts = 0) =>
        new(sequence, reading.PatientId, DueItemKind.Reading, reading, null, attempts);

    public static DueItem ForEvent(long sequence, TelecareEvent telecareEvent, int attempts = 0) =>
        new(sequence, telecareEvent.PatientId, DueItemKind.TelecareEvent, null, telecareEvent, attempts);

    public static DueItem ForStatus(long sequence, DeviceStatusReport status, int attempts = 0) =>
        new(sequence, status.PatientId, DueItemKind.DeviceStatus, null, null, attempts, Status: status);

    public static DueItem ForTimer(long sequence, string patientId, RuleTimer timer, int attempts = 0) =>
        new(sequence, patientId, DueItemKind.Timer, null, null, attempts, Timer: timer);

    public static DueItem ForConsciousness(long sequence, ConsciousnessObservation observation, int attempts = 0) =>
        new(sequence, observation.PatientId, DueItemKind.Consciousness, null, null, attempts, Consciousness: observation);

    public static DueItem ForReassess(long sequence, string patientId, CareRecordChange change, int attempts = 0) =>
        new(sequence, patientId, DueItemKind.Reassess, null, null, attempts, Reassess: change);
}
