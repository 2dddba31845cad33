namespace Telehealth.Clinician.Web.Api;

/// <summary>Body of <c>POST /api/alerts/{id}/resolve</c>.</summary>
/// <param name="Outcome">action_taken, no_action_needed, referred_to_partner or false_alarm (auto_cleared is the system's).</param>
/// <param name="Note">Free text for the record (at most 1000 characters); kept in the event log, never logged.</param>
public sealed record ResolveAlertRequest(string? Outcome, string? Note = null);
