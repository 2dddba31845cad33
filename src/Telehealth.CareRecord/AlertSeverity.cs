namespace Telehealth.CareRecord;

/// <summary>How urgently an alert needs a person. Numeric values are stored and compared: higher is more urgent.</summary>
public enum AlertSeverity
{
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}
