using Telehealth.CareRecord.Audit;

namespace Telehealth.Clinician.Web.Audit;

public static class AuditEndpointExtensions
{
    /// <summary>Records every successful call in the audit log (who, when, which person, the action and the route; never a value).</summary>
    public static TBuilder Audited<TBuilder>(this TBuilder builder, AuditAction action, AuditSubject subject, string parameter = "id")
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Audited(action, subject, parameter));
}
