namespace Telehealth.CareRecord.Staff;

/// <param name="CreatedAt">Null for a team known only from its staff (made before teams were managed).</param>
public sealed record TeamRecord(string Id, string Name, DateTimeOffset? CreatedAt)
{
    public const int MaxNameLength = 100;
}
