using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.CareRecord;

namespace Telehealth.Notifications.Channels;

/// <summary>
/// What goes out, in one place, so it can be reviewed against the minimum-necessary rule:
/// <list type="bullet">
/// <item>Email subject: severity, condition, respond-by time and a short alert reference. No values, no names, no
/// NHS number: subjects show on lock screens and in mail server logs.</item>
/// <item>Email body: the same plus the patient's platform reference, the team, the escalation step and why this person
/// is told, and the link to the alert on the dashboard (sign-in required), where values and history are.</item>
/// <item>Webhook body (JSON): ids, severity, condition, code, step, deadlines and link, for SMS gateways and partner
/// systems (GP, out-of-hours, ambulance) to route on. A partner matches the patient reference through its own
/// agreed, authenticated lookup (FHIR Patient by id), never through anything in the message.</item>
/// </list>
/// </summary>
public static class NotificationContent
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Reference(Notification notification) => notification.AlertId.ToString("N")[..8];

    public static string EmailSubject(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return string.Create(CultureInfo.InvariantCulture,
            $"[Telehealth] {SeverityText(notification.Severity)} alert ({notification.Condition}): respond by {notification.RespondBy:HH:mm} UTC [ref {Reference(notification)}]");
    }

    public static string EmailBody(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        body.AppendLine(invariant, $"A {SeverityText(notification.Severity).ToLowerInvariant()} red flag needs someone to acknowledge it.");
        body.AppendLine();
        body.AppendLine(invariant, $"Why you: {notification.Reason}");
        body.AppendLine(invariant, $"Severity: {SeverityText(notification.Severity)}");
        body.AppendLine(invariant, $"Condition: {notification.Condition} ({notification.Code})");
        body.AppendLine(invariant, $"Patient reference: {notification.PatientRef} (team {notification.TeamId})");
        body.AppendLine(invariant, $"Raised: {notification.RaisedAt:yyyy-MM-dd HH:mm} UTC");
        body.AppendLine(invariant, $"Respond by: {notification.RespondBy:yyyy-MM-dd HH:mm} UTC");
        body.AppendLine(invariant, $"Escalation step: {notification.Step}");
        body.AppendLine(invariant, $"Alert: {notification.AlertId}");
        if (notification.AlertUrl is { } url)
        {
            body.AppendLine(invariant, $"Open it: {url}");
        }
        body.AppendLine();
        body.AppendLine("Readings and the person's details are on the dashboard after sign-in; they are never sent by email.");
        body.AppendLine("Acknowledge the alert on the dashboard to stop further escalation.");
        return body.ToString();
    }

    /// <summary>The webhook body, UTF-8 JSON; the signature covers exactly these bytes.</summary>
    public static byte[] WebhookBody(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var message = new WebhookMessage(
            SchemaVersion, "alert.escalation", notification.Id, notification.AlertId, notification.IncidentId,
            notification.PatientRef, notification.TeamId, notification.Severity, notification.Condition, notification.Code,
            notification.Recipient, notification.RecipientKind, notification.Step, notification.Reason,
            notification.RaisedAt, notification.RespondBy, notification.AlertUrl?.ToString(), notification.CreatedAt);
        return JsonSerializer.SerializeToUtf8Bytes(message, Json);
    }

    private static string SeverityText(AlertSeverity severity) => severity.ToString();

    private sealed record WebhookMessage(
        int Version,
        string Type,
        Guid NotificationId,
        Guid AlertId,
        Guid? IncidentId,
        string PatientRef,
        string TeamId,
        AlertSeverity Severity,
        string Condition,
        string Code,
        string Recipient,
        string RecipientKind,
        int Step,
        string Reason,
        DateTimeOffset RaisedAt,
        DateTimeOffset RespondBy,
        string? AlertUrl,
        DateTimeOffset CreatedAt);
}
