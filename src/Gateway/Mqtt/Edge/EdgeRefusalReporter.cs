using System.Globalization;
using System.Net;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Diagnostics;
using Telehealth.Gateway.Ingress;

namespace Telehealth.Gateway.Mqtt.Edge;

/// <summary>
/// Records refusals at the device edge (connects, oversize packets, per-source limits) so staff see them, without
/// letting a flood of them flood the rejection list or the log: the first of a kind (same device, or same source when
/// no device is known, and same reason) in each window is recorded and logged; the rest are counted in the metrics and
/// summed into the next record of that kind.
/// </summary>
public sealed class EdgeRefusalReporter(DeviceMessageHandler handler, GatewayMetrics metrics, RefusalAggregator aggregator, TimeProvider timeProvider)
{
    /// <param name="deviceId">The device refused, when known (or the id it claimed, already clipped).</param>
    /// <param name="remote">
    /// The source, when the refusal is counted per source rather than per device: anonymous refusals, and unknown
    /// device ids (an attacker can invent a new id per attempt, but not a new address).
    /// </param>
    public async ValueTask ReportAsync(string? deviceId, IPEndPoint? remote, string source, string reason, string detail, CancellationToken cancellationToken)
    {
        var who = remote?.Address.ToString() ?? deviceId ?? "(unknown)";
        var tally = aggregator.Count($"{reason}|{who}");
        if (!tally.Report)
        {
            metrics.Rejected(reason);
            return;
        }
        if (remote is not null)
        {
            detail += $" Source {remote.Address}.";
        }
        if (tally.SuppressedBefore > 0)
        {
            detail += string.Create(CultureInfo.InvariantCulture,
                $" {tally.SuppressedBefore} more like it in the previous {aggregator.Window.TotalSeconds:0} s were counted, not listed.");
        }
        await handler.RejectAsync(new Rejection(timeProvider.GetUtcNow(), deviceId, source, reason, detail), cancellationToken);
    }
}
