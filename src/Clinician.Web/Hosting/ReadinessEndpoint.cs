using Microsoft.Extensions.Options;
using Telehealth.Alerts.Evaluation;
using Telehealth.Contracts.Evaluation;
using Telehealth.Gateway.Mqtt;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// <c>GET /health/ready</c>: whether this instance is doing its job, as opposed to <c>/health</c> (the process is alive).
/// It fails (503) while, with an external broker, the platform is not connected with its subscription in place (with
/// NATS JetStream: not connected, or its durable consumer missing); while
/// the care-record database cannot be read; or while the evaluation queue is stalled (its oldest due item has waited
/// longer than <c>Evaluation:StallAfter</c>). Counts only, never patient data.
/// </summary>
public static class ReadinessEndpoint
{
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/ready", async (IEvaluationQueue queue, IOptions<EvaluationOptions> options, TimeProvider time, IServiceProvider services, CancellationToken ct) =>
        {
            if (services.GetService<ExternalBrokerIngress>() is { IsSubscribed: false })
            {
                return Results.Json(new { status = "unavailable", reason = "broker_not_subscribed" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            if (services.GetService<Telehealth.Gateway.Mqtt.Nats.NatsJetStreamIngress>() is { IsConsuming: false })
            {
                // Not connected to nats-server, or its durable consumer is missing: readings wait in JetStream.
                return Results.Json(new { status = "unavailable", reason = "broker_not_consuming" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            int pending;
            DateTimeOffset? oldest;
            try
            {
                (pending, oldest) = await queue.PendingAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                return Results.Json(new { status = "unavailable", reason = "care_record_unreachable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            var waited = oldest is { } at ? time.GetUtcNow() - at : TimeSpan.Zero;
            var stalled = waited > options.Value.StallAfter;
            var body = new
            {
                status = stalled ? "unavailable" : "ready",
                reason = stalled ? "evaluation_stalled" : null,
                evaluation = new { pending, oldestWaitingSeconds = Math.Round(waited.TotalSeconds, 1) },
            };
            return Results.Json(body, statusCode: stalled ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).AllowAnonymous();
        return app;
    }
}
