using System.Security.Cryptography;

namespace Telehealth.CareRecord.Caseload;

/// <summary>Patient ids: "pat-" + 10 random characters. Random (not sequential) so an id reveals nothing about caseload size or order.</summary>
public static class PatientIds
{
    public const string Prefix = "pat-";

    // Look-alikes (0/o, 1/l/i) are left out so ids can be read aloud over the phone.
    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";

    public static string New() => Prefix + RandomNumberGenerator.GetString(Alphabet, 10);

    public static bool IsWellFormed(string? id) =>
        id is not null
        && id.StartsWith(Prefix, StringComparison.Ordinal)
        && id.Length > Prefix.Length
        && id.Length <= Prefix.Length + 40
        && id.AsSpan(Prefix.Length).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-") < 0;
}
