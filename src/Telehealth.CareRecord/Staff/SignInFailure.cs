namespace Telehealth.CareRecord.Staff;

/// <summary>A refused sign-in as kept for admins. <see cref="Username"/> is what was typed, cut and escaped
/// (<see cref="Telehealth.Contracts.Diagnostics.UntrustedText"/>); it may name no account at all.</summary>
public sealed record SignInFailure(long Id, DateTimeOffset At, string Username, string Source, string Reason);
