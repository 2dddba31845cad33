namespace Telehealth.CareRecord.Audit;

/// <summary>What a member of staff did to a person's record (wire names <c>view</c>, <c>create</c>, <c>change</c>).</summary>
public enum AuditAction
{
    View,
    Create,
    Change,
}
