namespace Telehealth.Clinician.Web.Staff;

public enum StaffCreateResult
{
    Created,
    DuplicateUsername,
}
