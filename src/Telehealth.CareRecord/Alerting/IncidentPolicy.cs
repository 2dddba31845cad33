using Telehealth.CareRecord.Observations;

namespace Telehealth.CareRecord.Alerting;

/// <summary>
/// Which alerts of a person are one thing to a clinician. Alerts of the same family join the incident of any
/// not-resolved alert of that family: a low SpO2 (<c>threshold:spo2</c>), the NEWS2 it drives and a duration
/// rule on it are one deterioration; a fall, a pendant press and no movement are one telecare incident; a
/// device's silence, its flat battery and the readings it did not send are one device problem.
/// </summary>
public static class IncidentPolicy
{
    public static string FamilyOf(string conditionKey, DeviceRef? device)
    {
        ArgumentException.ThrowIfNullOrEmpty(conditionKey);
        var prefix = conditionKey.Split(':')[0];
        return prefix switch
        {
            "threshold" or "duration" or "news2" => "physiology",
            "event" or "inactivity" => "telecare",
            _ when device is not null => $"device:{device.DeviceId}",
            _ => prefix,
        };
    }

    /// <summary>The incident a new alert joins, or null when it starts its own.</summary>
    public static Guid? IncidentFor(IEnumerable<AlertCase> patientAlerts, string conditionKey, DeviceRef? device)
    {
        ArgumentNullException.ThrowIfNull(patientAlerts);
        var family = FamilyOf(conditionKey, device);
        return patientAlerts
            .Where(alert => !alert.IsResolved && FamilyOf(alert.ConditionKey, alert.Device) == family)
            .OrderBy(alert => alert.RaisedAt)
            .Select(alert => (Guid?)alert.IncidentId)
            .FirstOrDefault();
    }
}
