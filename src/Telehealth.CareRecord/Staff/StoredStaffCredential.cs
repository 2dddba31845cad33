namespace Telehealth.CareRecord.Staff;

/// <summary>An active account with its stored password hash, for checking a sign-in.</summary>
public sealed record StoredStaffCredential(StaffUser User, StaffPasswordHash Password);
