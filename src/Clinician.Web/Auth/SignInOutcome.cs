namespace Telehealth.Clinician.Web.Auth;

public enum SignInOutcome
{
    SignedIn,
    WrongCredentials,
    /// <summary>Refused by the throttle before the password was looked at (answer 429 with Retry-After).</summary>
    Throttled,
    /// <summary>Password checking is saturated (answer 503 with Retry-After).</summary>
    Busy,
}
