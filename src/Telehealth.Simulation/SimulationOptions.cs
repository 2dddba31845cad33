using System.ComponentModel.DataAnnotations;

namespace Telehealth.Simulation;

/// <summary>How the simulated devices connect and how fast their world runs. Bind from section <see cref="SectionName"/>.</summary>
public sealed class SimulationOptions
{
    public const string SectionName = "Simulation";

    [Required]
    public string BrokerHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int BrokerPort { get; set; } = 1883;

    public MqttProtocolLevel Protocol { get; set; } = MqttProtocolLevel.V500;

    /// <summary>Real time between two measurements of a device (and between checks for scripted events).</summary>
    public TimeSpan ReadingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Real time between two status heartbeats of a device.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Scenario seconds that pass per real second. A demo uses about 10 so deteriorations show within a minute.</summary>
    [Range(0.001, 100_000)]
    public double TimeAcceleration { get; set; } = 1;

    /// <summary>Seed of measurement noise and of publish staggering; the same seed replays the same readings.</summary>
    public int Seed { get; set; } = 42;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Messages a device keeps while it cannot reach the broker, sent in order once it reconnects (store and forward,
    /// as home hubs do). Beyond this the oldest are dropped.
    /// </summary>
    [Range(1, 100_000)]
    public int PendingMessageLimit { get; set; } = 500;

    /// <summary>Every problem with these options; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        problems.AddRange(results.Select(r => r.ErrorMessage ?? "Invalid simulation option."));
        RequirePositive(problems, ReadingInterval, nameof(ReadingInterval));
        RequirePositive(problems, HeartbeatInterval, nameof(HeartbeatInterval));
        RequirePositive(problems, ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(problems, ReconnectInitialDelay, nameof(ReconnectInitialDelay));
        if (ReconnectMaxDelay < ReconnectInitialDelay)
        {
            problems.Add($"{nameof(ReconnectMaxDelay)} must be at least {nameof(ReconnectInitialDelay)}.");
        }
        return problems;
    }

    /// <summary>Throws one exception naming every problem, so a wrong setting is found in one go.</summary>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid simulation options: " + string.Join(" ", problems));
        }
    }

    private static void RequirePositive(List<string> problems, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} must be positive.");
        }
    }
}
