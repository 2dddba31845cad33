namespace Telehealth.Clinician.Web.Auth;

public enum StaffVerificationOutcome
{
    Verified,
    WrongCredentials,
    /// <summary>Too many password checks already running or waiting; nothing was checked.</summary>
    Busy,
}
