namespace Telehealth.CareRecord.FollowUp;

/// <summary>How a call attempt ended (wire names <c>reached</c>, <c>no_answer</c>, <c>wrong_number</c>, <c>busy</c>).</summary>
public enum CallOutcome
{
    Reached,
    NoAnswer,
    WrongNumber,
    Busy,
}
