using Microsoft.Extensions.Logging;

namespace Telehealth.Fhir.Server;

/// <summary>Log messages of the FHIR endpoint: ids and trace ids only, never resource content.</summary>
internal static partial class FhirServerLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "FHIR {Interaction} on {ResourceType} failed (trace {TraceId})")]
    public static partial void RequestFailed(ILogger logger, Exception exception, string interaction, string resourceType, string traceId);
}
