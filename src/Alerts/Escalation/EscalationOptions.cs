using System.ComponentModel.DataAnnotations;

namespace Telehealth.Alerts.Escalation;

/// <summary>Configuration section "Escalation". Deadlines themselves are the response policy's (RCP NEWS2, TSA), not settings here.</summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    /// <summary>Safety net: the worker looks for due timers this often even when none is due sooner.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An open alert of a team with no duty rota is looked at again this often (and logged), until a rota is set.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan NoRotaRecheck { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;
}
