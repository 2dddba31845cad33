namespace Telehealth.CareRecord.Audit;

/// <param name="TeamId">Only rows about people of this team when set (team leads); every team when null (admins).</param>
/// <param name="PatientId">Only rows about this person when set.</param>
/// <param name="Before">Only rows with a sequence below this (the next, older page).</param>
/// <param name="Limit">Most rows returned, newest first.</param>
public sealed record AuditQuery(string? TeamId, string? PatientId, long? Before, int Limit);
