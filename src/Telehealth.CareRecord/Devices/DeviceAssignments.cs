namespace Telehealth.CareRecord.Devices;

/// <summary>A device's assignment history, oldest first, and who had it at a moment.</summary>
public sealed class DeviceAssignments(IReadOnlyList<DeviceAssignment> periods)
{
    public IReadOnlyList<DeviceAssignment> Periods { get; } = periods;

    /// <summary>The person who had the device at <paramref name="at"/> (a reading's own device time); null when nobody did.</summary>
    public string? PatientAt(DateTimeOffset at)
    {
        for (var i = Periods.Count - 1; i >= 0; i--)
        {
            if (Periods[i].Covers(at))
            {
                return Periods[i].PatientId;
            }
        }
        return null;
    }
}
