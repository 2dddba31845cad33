namespace Telehealth.CareRecord.News2;

/// <summary>ACVPU: Alert, new Confusion, responds to Voice, to Pain, Unresponsive. Anything but Alert scores 3.</summary>
public enum ConsciousnessLevel
{
    Alert,
    NewConfusion,
    Voice,
    Pain,
    Unresponsive,
}
