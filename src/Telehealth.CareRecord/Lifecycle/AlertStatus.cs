namespace Telehealth.CareRecord.Lifecycle;

public enum AlertStatus
{
    /// <summary>No member of staff has taken it on yet (or it got worse since they did).</summary>
    Open,

    /// <summary>A member of staff has taken it on.</summary>
    Acknowledged,
}
