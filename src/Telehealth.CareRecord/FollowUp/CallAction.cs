namespace Telehealth.CareRecord.FollowUp;

/// <summary>What was done on a call (<see cref="CallActions"/> holds the wire names).</summary>
public enum CallAction
{
    AdviceGiven,
    RepeatReadingRequested,
    GpInformed,
    VisitArranged,
    Advised111,
    Advised999,
    AmbulanceCalled,
}
