using System.Diagnostics.Metrics;

namespace Telehealth.Gateway.Ingress;

/// <summary>Counters at the gateway edge (OpenTelemetry meter "Telehealth.Gateway").</summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Telehealth.Gateway";

    private readonly Counter<long> _messages;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("telehealth.gateway.messages", description: "Device messages received");
        _accepted = meter.CreateCounter<long>("telehealth.gateway.records.accepted", description: "Readings, events and statuses accepted");
        _rejected = meter.CreateCounter<long>("telehealth.gateway.records.rejected", description: "Records or messages refused, by reason");
    }

    public void MessageReceived(string channel) => _messages.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void Accepted(int count) => _accepted.Add(count);

    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
