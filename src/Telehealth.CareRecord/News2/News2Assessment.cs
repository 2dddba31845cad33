using System.Security.Cryptography;
using System.Text;
using Telehealth.Contracts.Readings;

namespace Telehealth.CareRecord.News2;

/// <summary>
/// One NEWS2 score as the platform computed it, with the readings it was computed from (its basis). The id is
/// derived from the patient and the basis, so computing the same score from the same readings again is the same
/// assessment, never a second one.
/// </summary>
/// <param name="ObservedAt">Device time of the newest reading in the basis: the moment the score describes.</param>
/// <param name="AssessedAt">When the platform computed it.</param>
public sealed record News2Assessment(
    string Id,
    string PatientId,
    News2Score Score,
    News2Scale Scale,
    IReadOnlyList<Reading> Basis,
    DateTimeOffset ObservedAt,
    DateTimeOffset AssessedAt)
{
    public static string IdFor(string patientId, IEnumerable<Reading> basis)
    {
        var key = new StringBuilder(patientId);
        foreach (var reading in basis.OrderBy(r => r.Kind).ThenBy(r => r.DeviceId, StringComparer.Ordinal).ThenBy(r => r.DeviceTime))
        {
            key.Append('|').Append(reading.DeviceId).Append(':').Append(reading.Kind.WireName()).Append(':').Append(reading.DeviceTime.ToUnixTimeMilliseconds());
        }
        return "news2-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..24];
    }
}
