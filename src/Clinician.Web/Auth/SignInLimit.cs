namespace Telehealth.Clinician.Web.Auth;

/// <summary>Which limit refused a sign-in.</summary>
public enum SignInLimit
{
    None,
    Account,
    Source,
    /// <summary>Too many accounts and sources are being tracked at once; refused rather than grow without bound.</summary>
    Capacity,
}
