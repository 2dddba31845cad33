namespace Telehealth.Clinician.Web.Api;

/// <summary>Body of <c>POST /api/alerts/{id}/snooze</c>: the caller's own snooze, for this many minutes (at most 120).</summary>
public sealed record SnoozeAlertRequest(int Minutes);
