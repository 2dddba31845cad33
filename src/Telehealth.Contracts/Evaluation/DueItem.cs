using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Evaluation;

/// <summary>
/// Stored data whose evaluation is durably recorded as due. It carries the data itself, so evaluating it needs no
/// second read of the reading store (which may be InfluxDB, far from the care record).
/// </summary>
/// <param name="Sequence">Queue order: a patient's items are evaluated in this order.</param>
/// <param name="Attempts">Failed evaluations so far (each is retried after a back-off).</param>
public sealed record DueItem(long Sequence, string PatientId, DueItemKind Kind, Reading? Reading, TelecareEvent? Event, int Attempts)
{
    public static DueItem ForReading(long sequence, Reading reading, int attempts = 0) =>
        new(sequence, reading.PatientId, DueItemKind.Reading, reading, null, attempts);

    public static DueItem ForEvent(long sequence, TelecareEvent telecareEvent, int attempts = 0) =>
        new(sequence, telecareEvent.PatientId, DueItemKind.TelecareEvent, null, telecareEvent, attempts);
}
