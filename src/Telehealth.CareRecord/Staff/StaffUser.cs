namespace Telehealth.CareRecord.Staff;

public sealed record StaffUser(string Username, string Role, string TeamId);
