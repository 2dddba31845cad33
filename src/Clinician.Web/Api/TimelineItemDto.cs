namespace Telehealth.Clinician.Web.Api;

/// <summary>One entry of a person's timeline (<c>GET /api/patients/{id}/timeline</c>).</summary>
/// <param name="Kind">reading, telecare_event, alert_event, call, care_settings, thresholds or care_plan.</param>
/// <param name="Type">What happened within its kind: the vital (spo2), the event (pendant_press), the alert event (raised, acknowledged...),
/// the call outcome (reached, no_answer...), the care plan change (goal_added, goal_changed, activities_changed).</param>
/// <param name="Text">One line for a person to read.</param>
/// <param name="Actor">The member of staff (or "system") behind an alert event, a call, or a care-setting or care-plan change.</param>
public sealed record TimelineItemDto(
    DateTimeOffset At, string Kind, string Type, string Text, string? Severity = null, Guid? AlertId = null, string? DeviceId = null, string? Actor = null);
