using Telehealth.CareRecord.Alerting;

namespace Telehealth.Alerts.Engine;

/// <summary>How one patient's share of a pass ended: the alert events recorded, or the failure that left its items due.</summary>
public sealed record PatientEvaluation(string PatientId, IReadOnlyList<AlertEventRecord> Recorded, Exception? Failure)
{
    public bool Succeeded => Failure is null;
}
