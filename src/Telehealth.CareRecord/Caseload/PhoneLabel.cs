namespace Telehealth.CareRecord.Caseload;

/// <summary>Which of the person's own phones a number is (wire names <c>home</c>, <c>mobile</c>, <c>work</c>, <c>other</c>).</summary>
public enum PhoneLabel
{
    Home,
    Mobile,
    Work,
    Other,
}
