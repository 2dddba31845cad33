using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Clinician.Web.Audit;

/// <summary>
/// Appends a row to the audit log for every successful (2xx) call of an endpoint marked <see cref="Audited"/>: the
/// caller, their role, the time, the person (resolved from the route, query, alert, device or the Location of what was
/// created), the person's team, the action, and the method with the route template. Refused and failed calls show
/// nothing of a record, so they are not rows here. A failure to write the audit is logged with ids and does not
/// undo the call.
/// </summary>
public sealed partial class AuditMiddleware(RequestDelegate next, ILogger<AuditMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IAuditLog log, IPatientRepository patients, IAlertStore alerts, IDeviceRegistry devices, TimeProvider time)
    {
        await next(context);
        if (context.GetEndpoint() is not RouteEndpoint endpoint
            || endpoint.Metadata.GetMetadata<Audited>() is not { } audited
            || context.Response.StatusCode is < 200 or > 299
            || context.User.Identity?.IsAuthenticated != true)
        {
            return;
        }
        try
        {
            var patientId = await SubjectAsync(context, audited, alerts, devices);
            if (patientId is null || await patients.GetAsync(patientId, context.RequestAborted) is not { } patient)
            {
                return;
            }
            await log.AppendAsync(
            [
                new AuditEntry(null, time.GetUtcNow(), context.User.Username(), context.User.RoleName() ?? "unknown", patient.Id, patient.TeamId,
                    audited.Action, Resource(context, endpoint, audited)),
            ], CancellationToken.None);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogAuditFailed(logger, exception, context.Request.Method, endpoint.RoutePattern.RawText ?? "-", context.TraceIdentifier);
        }
    }

    private static async Task<string?> SubjectAsync(HttpContext context, Audited audited, IAlertStore alerts, IDeviceRegistry devices)
    {
        var ct = context.RequestAborted;
        string? Route(string name) => context.Request.RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;
        string? Created() => context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location[(location.LastIndexOf('/') + 1)..] : null;
        switch (audited.Subject)
        {
            case AuditSubject.PatientRoute:
                return Route(audited.Parameter);
            case AuditSubject.PatientQuery:
                return context.Request.Query[audited.Parameter].ToString() is { Length: > 0 } queried ? queried : null;
            case AuditSubject.AlertRoute:
                return Guid.TryParse(Route(audited.Parameter), out var alertId) ? (await alerts.GetAsync(alertId, ct))?.PatientId : null;
            case AuditSubject.DeviceRoute:
                return Route(audited.Parameter) is { } deviceId ? (await devices.GetAsync(deviceId, ct))?.PatientId : null;
            case AuditSubject.CreatedPatient:
                return Created();
            case AuditSubject.CreatedDevice:
                return Created() is { } createdDevice ? (await devices.GetAsync(createdDevice, ct))?.PatientId : null;
            case AuditSubject.Fhir:
                if (Route("type") == "Patient" && Route("id") is { } fhirPatient)
                {
                    return fhirPatient;
                }
                var reference = context.Request.Query["patient"].ToString();
                return reference.Length == 0 ? null : reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..] : reference;
            default:
                return null;
        }
    }

    private static string Resource(HttpContext context, RouteEndpoint endpoint, Audited audited)
    {
        if (audited.Subject == AuditSubject.Fhir)
        {
            var type = context.Request.RouteValues["type"]?.ToString() ?? "-";
            return context.Request.RouteValues.ContainsKey("id") ? $"GET /fhir/{type}/{{id}}" : $"GET /fhir/{type}?patient=";
        }
        var template = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
        return $"{context.Request.Method} {template}";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the audit row for {Method} {Route} (trace {TraceId})")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception, string method, string route, string traceId);
}
