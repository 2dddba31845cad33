using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Auth;

public sealed record SignInResult(SignInOutcome Outcome, StaffUser? User, TimeSpan RetryAfter);
