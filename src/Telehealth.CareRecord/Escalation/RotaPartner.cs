using Telehealth.CareRecord;

namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// A partner the team shares red flags with (GP practice, out-of-hours, ambulance), told once per opening of an alert
/// of at least <see cref="MinimumSeverity"/> when escalation reaches step <see cref="FromStep"/> unacknowledged.
/// </summary>
/// <param name="Kind"><c>gp</c>, <c>out_of_hours</c>, <c>ambulance</c> or another agreed name.</param>
public sealed record RotaPartner(string Id, string Kind, AlertSeverity MinimumSeverity, int FromStep, RotaContact Contact);
