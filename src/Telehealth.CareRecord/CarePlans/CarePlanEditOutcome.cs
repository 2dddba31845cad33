namespace Telehealth.CareRecord.CarePlans;

public enum CarePlanEditOutcome
{
    /// <summary>Valid: <see cref="CarePlanEdit.Next"/> and <see cref="CarePlanEdit.Revision"/> are ready to store.</summary>
    Ready,

    /// <summary>Something asked is not allowed; <see cref="CarePlanEdit.Problems"/> says what, per field.</summary>
    Invalid,

    /// <summary>The goal is not one of this person's.</summary>
    NotFound,

    /// <summary>Someone changed it since the editor read it: the version given is not the one in force.</summary>
    Conflict,
}
