using Telehealth.CareRecord.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// The latest reading of each kind by the care record's rule (<see cref="ObservationTime"/>: device time capped at
/// receipt), not by raw device time as the stores index them. Only a reading whose device clock ran ahead of its
/// receipt can be wrongly "latest" by device time, and anything that beats it has a device time between its receipt
/// and its device time (at most the accepted clock skew), so that short range is all that is looked at again.
/// </summary>
internal static class LatestReadings
{
    public static async Task<IReadOnlyDictionary<VitalKind, Reading>> ByObservationTimeAsync(
        IReadingStore readings, string patientId, CancellationToken cancellationToken)
    {
        var byDeviceTime = await readings.LatestByKindAsync(patientId, cancellationToken);
        var latest = new Dictionary<VitalKind, Reading>(byDeviceTime);
        foreach (var (kind, reading) in byDeviceTime.Where(pair => pair.Value.DeviceTime > pair.Value.ReceivedAt))
        {
            var contenders = await readings.QueryAsync(
                new ReadingQuery(patientId, kind, From: reading.ReceivedAt, To: reading.DeviceTime.AddTicks(1), Limit: 10_000), cancellationToken);
            foreach (var candidate in contenders)
            {
                if (ObservationTime.IsNewer(candidate, latest[kind]))
                {
                    latest[kind] = candidate;
                }
            }
        }
        return latest;
    }
}
