namespace Telehealth.CareRecord.Staff;

public enum StaffCreateResult
{
    Created,
    DuplicateUsername,
}
