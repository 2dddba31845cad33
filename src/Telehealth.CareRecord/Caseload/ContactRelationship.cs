namespace Telehealth.CareRecord.Caseload;

/// <summary>Who a contact is to the person (wire names <c>carer</c>, <c>next_of_kin</c>, <c>key_worker</c>, <c>other</c>).</summary>
public enum ContactRelationship
{
    Carer,
    NextOfKin,
    KeyWorker,
    Other,
}
