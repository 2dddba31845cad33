namespace Telehealth.Clinician.Web.Api;

/// <summary>Body of <c>POST /api/alerts/{id}/assign</c>.</summary>
/// <param name="To">Username of the member of staff (of the caller's team) who is to have the alert.</param>
/// <param name="ExpectedOwner">
/// Who the caller saw has the alert, for a deliberate hand-over from someone else; without it, an alert someone else
/// already has is refused with 409 and its owner.
/// </param>
public sealed record AssignAlertRequest(string? To, string? ExpectedOwner = null);
