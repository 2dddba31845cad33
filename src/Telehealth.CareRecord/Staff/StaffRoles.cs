namespace Telehealth.CareRecord.Staff;

public static class StaffRoles
{
    public const string Admin = "admin";
    public const string Clinician = "clinician";
    public const string CallHandler = "call_handler";

    public static bool IsKnown(string role) => role is Admin or Clinician or CallHandler;
}
