using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// HMAC key for staff tokens, base64, at least 32 bytes. When absent one is generated and kept in the data
    /// folder (never in the repository), so tokens survive a restart of a single instance.
    /// </summary>
    [SigningKey]
    public string? SigningKey { get; set; }

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Creates the staff account "admin" with this password when no staff account exists yet.</summary>
    public string? InitialAdminPassword { get; set; }

    /// <summary>The team new staff and patients belong to until teams are managed (a later capability).</summary>
    [Required]
    public string DefaultTeamId { get; set; } = "team-community-rehab";
}
