namespace Telehealth.CareRecord.News2;

/// <summary>
/// Which NEWS2 SpO2 scale applies. Scale 2 is only for a person a clinician has documented as having
/// hypercapnic respiratory failure (target 88–92 %); for everyone else scale 1 is used.
/// </summary>
public enum News2Scale
{
    Scale1 = 1,
    Scale2 = 2,
}
