using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Telehealth.Alerts.Evaluation;
using Telehealth.Gateway.Ingress;
using Telehealth.Ingest.Pipeline;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// OpenTelemetry for each stage: the gateway edge, ingest and evaluation meters and spans, ASP.NET Core, outgoing
/// HTTP (FHIR push, InfluxDB) and the .NET runtime; exported over OTLP when <c>Telemetry:OtlpEndpoint</c> is set and
/// scraped at <c>/metrics</c> unless <c>Telemetry:Prometheus</c> is false.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    private static readonly string[] Meters = [GatewayMetrics.MeterName, IngestMetrics.MeterName, EvaluationMetrics.Name];

    public static WebApplicationBuilder AddTelehealthTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = Uri.TryCreate(settings.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("telehealth-platform"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                if (settings.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(IngestMetrics.MeterName, EvaluationMetrics.Name)
                    .AddAspNetCoreInstrumentation(options => options.RecordException = false)
                    .AddHttpClientInstrumentation();
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
                }
            });
        return builder;
    }

    public static WebApplication MapTelehealthTelemetry(this WebApplication app)
    {
        var settings = app.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (settings.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }
        return app;
    }
}
