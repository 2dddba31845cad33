namespace Telehealth.Clinician.Web.Auth;

public sealed record StaffUser(string Username, string Role, string TeamId);
