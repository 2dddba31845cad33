namespace Telehealth.CareRecord.CarePlans;

/// <summary>Where a goal stands. Wire names are snake_case (<c>proposed</c>, <c>active</c>, <c>achieved</c>, <c>cancelled</c>).</summary>
public enum GoalStatus
{
    /// <summary>Suggested, not yet agreed with the person.</summary>
    Proposed,

    /// <summary>Agreed and being worked towards.</summary>
    Active,

    /// <summary>Met. It can go back to active when the person loses the ground again.</summary>
    Achieved,

    /// <summary>No longer pursued. Final: a goal taken up again is a new goal, so its history reads straight.</summary>
    Cancelled,
}
