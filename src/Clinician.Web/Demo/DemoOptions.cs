using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Demo;

/// <summary>Configuration section "Demo" (turned on by the `--demo` switch).</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    public bool Enabled { get; set; }

    /// <summary>Password of the staff account "admin". Generated and printed at start when not set.</summary>
    public string? AdminPassword { get; set; }

    [Range(1, 5000)]
    public int Homes { get; set; } = 24;

    public int Seed { get; set; } = 42;

    /// <summary>How often each simulated device measures (real time).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReadingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Scenario time per real second: 10 lets a deterioration unfold within a minute.</summary>
    [Range(1, 3600)]
    public double TimeAcceleration { get; set; } = 10;
}
