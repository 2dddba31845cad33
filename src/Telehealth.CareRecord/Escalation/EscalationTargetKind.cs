namespace Telehealth.CareRecord.Escalation;

public enum EscalationTargetKind
{
    Staff,
    TeamLead,
    Partner,
}
