using System.ComponentModel.DataAnnotations;

namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// Section "Mqtt:External:Sync": with an external mosquitto, the platform keeps mosquitto's device accounts and
/// per-device topic rules current from its own registry by writing mosquitto's password and ACL files and telling
/// mosquitto to reload them (SIGHUP to the process in <see cref="PidFile"/>). Off unless enabled.
/// </summary>
public sealed class BrokerSyncOptions : IValidatableObject
{
    public bool Enabled { get; set; }

    /// <summary>mosquitto's password_file; rewritten whole (atomically) on every change.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>mosquitto's acl_file; rewritten whole (atomically) on every change.</summary>
    public string? AclFile { get; set; }

    /// <summary>mosquitto's pid_file. Without one, the files are written but mosquitto reads them only when it restarts.</summary>
    public string? PidFile { get; set; }

    /// <summary>
    /// Unix permissions of the written files, octal. 600 when mosquitto runs as the platform's own account (or root);
    /// 644 when it runs as another account on a volume only the two share (docker-compose.yml): the device entries are
    /// PBKDF2 hashes of 256-bit random secrets, but the platform's own password then needs to be long and random too.
    /// </summary>
    [RegularExpression("^[0-7]{3}$")]
    public string FileMode { get; set; } = "600";

    /// <summary>Accounts are rewritten on every registry change at once, and also this often as a safety net.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && (string.IsNullOrWhiteSpace(PasswordFile) || string.IsNullOrWhiteSpace(AclFile)))
        {
            yield return new ValidationResult("PasswordFile and AclFile are required when Sync is enabled.", [nameof(PasswordFile), nameof(AclFile)]);
        }
    }
}
