namespace Telehealth.Fhir.Server;

/// <summary>When this server started: the date of its CapabilityStatement (it describes what this running instance does).</summary>
public sealed class FhirServerClock(TimeProvider time)
{
    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}
