namespace Telehealth.CareRecord.Lifecycle;

public enum AlertDecisionKind
{
    /// <summary>A new alert to insert.</summary>
    Raised,

    /// <summary>A changed version of an existing alert to store over it.</summary>
    Updated,
}
