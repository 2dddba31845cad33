using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Mqtt.Nats;

/// <summary>
/// Section "Mqtt:Nats:Sync": the platform writes nats-server's authorization include file from its device registry
/// (one user per device, allowed to publish only under its own id) and tells nats-server to reload it (SIGHUP to the
/// process in <see cref="PidFile"/>). Off unless enabled.
/// </summary>
public sealed class NatsAccountSyncOptions : IValidatableObject
{
    public bool Enabled { get; set; }

    /// <summary>The file nats-server's config includes (<c>include "…"</c>); rewritten whole (atomically) on every change.</summary>
    public string? AuthorizationFile { get; set; }

    /// <summary>nats-server's pid_file (<c>-P</c>). Without one, the file is written but read only when nats-server restarts.</summary>
    public string? PidFile { get; set; }

    /// <summary>Unix permissions of the written file, octal (bcrypt hashes of 256-bit secrets, and the platform's own password).</summary>
    [RegularExpression("^[0-7]{3}$")]
    public string FileMode { get; set; } = "600";

    /// <summary>Accounts are rewritten on every registry change at once, and also this often as a safety net.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(AuthorizationFile))
        {
            yield return new ValidationResult("AuthorizationFile is required when Sync is enabled.", [nameof(AuthorizationFile)]);
        }
    }
}
