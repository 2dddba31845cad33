using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Configuration section "Storage:Postgres": when <see cref="ConnectionString"/> is set, the care record (everything but
/// readings) lives in that shared PostgreSQL database instead of the embedded SQLite file, so several platform
/// instances work on one record. Readings then go to InfluxDB (<c>Storage:Influx:Url</c> is required).
/// </summary>
public sealed class PostgresStorageOptions
{
    public const string SectionName = "Storage:Postgres";

    /// <summary>An Npgsql connection string (Host=…;Port=…;Database=…;Username=…;Password=…), or empty for SQLite.</summary>
    [PostgresConnectionString]
    public string? ConnectionString { get; set; }
}
