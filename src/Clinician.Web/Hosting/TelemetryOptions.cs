namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Configuration section "Telemetry": where metrics and traces go. Counts and ids only; never values or names.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>An OpenTelemetry collector (OTLP over gRPC or HTTP/protobuf) for metrics and traces; empty: no export.</summary>
    [AbsoluteHttpUrl]
    public string? OtlpEndpoint { get; set; }

    /// <summary>Serve a Prometheus scrape endpoint at <c>/metrics</c> (anonymous, like <c>/health</c>: counts only).</summary>
    public bool Prometheus { get; set; } = true;
}
