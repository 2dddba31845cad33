namespace Telehealth.CareRecord.Staff;

/// <summary>A password as stored: a per-account salt and the derived hash (never the password).</summary>
public sealed record StaffPasswordHash(byte[] Salt, byte[] Hash);
