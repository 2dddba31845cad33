namespace Telehealth.CareRecord.Staff;

/// <summary>A staff account as admins and team leads see it (never the password hash).</summary>
public sealed record StaffAccount(string Username, string Role, string TeamId, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);
