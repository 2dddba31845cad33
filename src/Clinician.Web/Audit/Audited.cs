using Telehealth.CareRecord.Audit;

namespace Telehealth.Clinician.Web.Audit;

/// <summary>Endpoint metadata: a successful call is a view or change of one person's record, appended to the audit by <see cref="AuditMiddleware"/>.</summary>
/// <param name="Parameter">The route or query value that names the subject.</param>
public sealed record Audited(AuditAction Action, AuditSubject Subject, string Parameter = "id");
