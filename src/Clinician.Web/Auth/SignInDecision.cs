namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// The throttle's answer before any password work. When <see cref="Allowed"/>, the caller must report the outcome
/// with <see cref="SignInThrottle.Complete"/> (the attempt counts as in flight until then).
/// </summary>
/// <param name="RetryAfter">When refused: how long until an attempt can be allowed again (at least one second).</param>
/// <param name="FirstRefusal">True for the first refusal of a lockout, so a flood is recorded once, not per request.</param>
public readonly record struct SignInDecision(bool Allowed, SignInLimit Limit, TimeSpan RetryAfter, bool FirstRefusal)
{
    public static SignInDecision Allow { get; } = new(true, SignInLimit.None, TimeSpan.Zero, false);
}
