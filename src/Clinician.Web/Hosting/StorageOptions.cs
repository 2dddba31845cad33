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
    /// How long readings and telecare events stay in the embedded store (by the time they were measured); older ones
    /// are deleted by the retention pass. Default 8 years, the NHS records-management minimum for adult health
    /// records. At least 400 days: longer than the oldest reading a device may send (<c>Decoding:MaxAge</c>, 365 days),
    /// so a deleted reading can never come back as new. InfluxDB keeps its own retention policies.
    /// </summary>
    [Range(typeof(TimeSpan), "400.00:00:00", "36500.00:00:00", ErrorMessage = "Storage:ReadingRetention must be between 400 days and 100 years.")]
    public TimeSpan ReadingRetention { get; set; } = TimeSpan.FromDays(2922);

    /// <summary>
    /// How long a delivered outbox message (a FHIR write the server accepted, a notification the receiver took) is kept
    /// before <see cref="OutboxRetentionSweeper"/> removes it. Pending and failed messages are never swept.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00", ErrorMessage = "Storage:DeliveredOutboxRetention must be between 1 hour and 3650 days.")]
    public TimeSpan DeliveredOutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>InfluxDB 1.x for readings; when Url is empty readings stay in the embedded SQLite store.</summary>
    public InfluxStorageOptions Influx { get; set; } = new();

    /// <summary>The shared PostgreSQL care record of the scaled deployment; when its connection string is empty, the embedded SQLite file.</summary>
    public PostgresStorageOptions Postgres { get; set; } = new();
}
