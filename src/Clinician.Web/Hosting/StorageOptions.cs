using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder of the embedded SQLite database and generated keys.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// How long a delivered outbox message (a FHIR write the server accepted, a notification the receiver took) is kept
    /// before <see cref="OutboxRetentionSweeper"/> removes it. Pending and failed messages are never swept.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Storage:DeliveredOutboxRetention must be between 1 hour and 3650 days.")]
    public TimeSpan DeliveredOutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>InfluxDB 1.x for readings; when Url is empty readings stay in the embedded SQLite store.</summary>
    public InfluxStorageOptions Influx { get; set; } = new();
}
