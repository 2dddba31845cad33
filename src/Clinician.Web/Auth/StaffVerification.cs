using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>The result of checking a password: the user, wrong credentials (unknown user or wrong password, alike), or busy.</summary>
public sealed record StaffVerification(StaffVerificationOutcome Outcome, StaffUser? User)
{
    public static StaffVerification WrongCredentials { get; } = new(StaffVerificationOutcome.WrongCredentials, null);

    public static StaffVerification Busy { get; } = new(StaffVerificationOutcome.Busy, null);

    public static StaffVerification Verified(StaffUser user) => new(StaffVerificationOutcome.Verified, user);
}
