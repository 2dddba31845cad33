using Telehealth.CareRecord.Alerting;

namespace Telehealth.Alerts.Engine;

/// <summary>
/// What a staff action on an alert came to: the alert as stored afterwards, or why it was refused. <see cref="Owner"/>
/// is set when someone else already has the alert (<see cref="AlertRefusals"/> has no code for that: it is
/// <see cref="TakenByAnother"/>), so the caller can say who.
/// </summary>
public sealed record StaffActionResult(AlertCase? Alert, string? Refused = null, string? Owner = null)
{
    /// <summary>Another member of staff already has the alert (acknowledged it, or it is assigned to them).</summary>
    public const string TakenByAnother = "taken_by_another";

    public bool Found => Alert is not null;

    public static StaffActionResult NotFound { get; } = new((AlertCase?)null);
}
