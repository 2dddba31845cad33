namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// A partner the team shares red flags with (GP practice, out-of-hours service, ambulance service), notified
/// once per opening of an alert of at least <see cref="MinimumSeverity"/> when escalation reaches step
/// <see cref="FromStep"/> without an acknowledgement. How it is reached (email, signed webhook) is the
/// notification channel's business.
/// </summary>
/// <param name="Kind">E.g. <c>gp</c>, <c>out_of_hours</c>, <c>ambulance</c>.</param>
public sealed record PartnerTarget(string Id, string Kind, AlertSeverity MinimumSeverity, int FromStep);
