namespace Telehealth.Clinician.Web.Auth;

/// <summary>Why a sign-in was refused, as recorded in the failure log.</summary>
public static class SignInFailureReasons
{
    /// <summary>Unknown username or wrong password (not told apart, here or to the caller).</summary>
    public const string BadCredentials = "bad_credentials";

    /// <summary>The account was locked after repeated failures (recorded once per lockout).</summary>
    public const string AccountLocked = "account_locked";

    /// <summary>The source address was locked after repeated failures (recorded once per lockout).</summary>
    public const string SourceLocked = "source_locked";
}
