using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Realtime;

/// <summary>Configuration section "Realtime": how live updates reach dashboards when several instances run.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>
    /// A Redis server as the SignalR backplane (StackExchange.Redis configuration, e.g. <c>redis:6379</c>): a
    /// dashboard connected to any instance then receives what any instance sends. Empty: one instance, no backplane.
    /// </summary>
    [RedisConfiguration]
    public string? Redis { get; set; }

    /// <summary>Prefix of the backplane's Redis channels, so several platforms can share one Redis.</summary>
    [Required]
    [RegularExpression("^[a-z0-9-]{1,40}$", ErrorMessage = "Realtime:ChannelPrefix must be 1–40 lowercase letters, digits or '-'.")]
    public string ChannelPrefix { get; set; } = "telehealth";
}
