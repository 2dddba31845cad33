using Telehealth.CareRecord.Staff;
using Telehealth.Contracts.Diagnostics;
using Telehealth.Clinician.Web.Hosting;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// One sign-in: ask the <see cref="SignInThrottle"/> first (no password work for a refused attempt), check the password
/// through the bounded hash gate, report the outcome back to the throttle, and record every refusal for admins.
/// </summary>
public sealed partial class SignInService(
    SignInThrottle throttle,
    StaffDirectory staff,
    ISignInFailureLog failures,
    TimeProvider timeProvider,
    ILogger<SignInService> logger)
{
    /// <summary>Suggested wait when the hash queue is full: one hash's time is well under a second.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    public async Task<SignInResult> SignInAsync(string username, string password, string source, CancellationToken cancellationToken)
    {
        var decision = throttle.TryBegin(username, source);
        if (!decision.Allowed)
        {
            if (decision.FirstRefusal)
            {
                var reason = decision.Limit == SignInLimit.Account ? SignInFailureReasons.AccountLocked : SignInFailureReasons.SourceLocked;
                LogLocked(logger, UntrustedText.Clip(username), source, reason, (int)decision.RetryAfter.TotalSeconds);
                await failures.RecordAsync(timeProvider.GetUtcNow(), username, source, reason, cancellationToken);
            }
            return new SignInResult(SignInOutcome.Throttled, null, decision.RetryAfter);
        }

        var completed = false;
        try
        {
            var verification = await staff.VerifyAsync(username, password, cancellationToken);
            switch (verification.Outcome)
            {
                case StaffVerificationOutcome.Verified:
                    throttle.Complete(username, source, succeeded: true);
                    completed = true;
                    return new SignInResult(SignInOutcome.SignedIn, verification.User, TimeSpan.Zero);
                case StaffVerificationOutcome.Busy:
                    // Nothing was checked: neither a success nor a failure.
                    throttle.Abandon(username, source);
                    completed = true;
                    return new SignInResult(SignInOutcome.Busy, null, BusyRetryAfter);
                default:
                    throttle.Complete(username, source, succeeded: false);
                    completed = true;
                    LogWrongCredentials(logger, UntrustedText.Clip(username), source);
                    await failures.RecordAsync(timeProvider.GetUtcNow(), username, source, SignInFailureReasons.BadCredentials, cancellationToken);
                    return new SignInResult(SignInOutcome.WrongCredentials, null, TimeSpan.Zero);
            }
        }
        finally
        {
            if (!completed)
            {
                // Cancelled or failed before an answer: count it as a failure, so aborting requests is no way around the limits.
                throttle.Complete(username, source, succeeded: false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused sign-in for '{Username}' from {Source}: bad_credentials")]
    private static partial void LogWrongCredentials(ILogger logger, string username, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused sign-in for '{Username}' from {Source}: {Reason} for {RetryAfterSeconds} s (further refusals in this lockout are not logged)")]
    private static partial void LogLocked(ILogger logger, string username, string source, string reason, int retryAfterSeconds);
}
