using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder of the embedded SQLite database and generated keys.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>InfluxDB 1.x for readings; when Url is empty readings stay in the embedded SQLite store.</summary>
    public InfluxStorageOptions Influx { get; set; } = new();
}
