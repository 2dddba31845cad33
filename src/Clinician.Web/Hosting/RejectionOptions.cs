using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Configuration section "Rejections": how long refused device input is kept for staff to see.</summary>
public sealed class RejectionOptions
{
    public const string SectionName = "Rejections";

    /// <summary>Rejections older than this are pruned: long enough to follow up a device over a month of visits.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often old rejections (and old failed sign-ins) are pruned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Safety ceiling on kept rows, should a flood outrun the retention period (oldest dropped first).</summary>
    [Range(1_000, 100_000_000)]
    public int MaxRows { get; set; } = Telehealth.Storage.Sqlite.Ingest.SqliteRejectionLog.DefaultRetainedRows;
}
