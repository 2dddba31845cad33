using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Rules;

namespace Telehealth.CareRecord.Caseload;

/// <summary>A person on the caseload, with the care facts the alert rules need.</summary>
/// <param name="Id">Platform id, e.g. "pat-7k2m9q4x" (see <see cref="PatientIds"/>); devices are assigned to it.</param>
/// <param name="NhsNumber">Ten digits, no spaces, when known.</param>
/// <param name="News2Scale">Scale 2 only when a clinician has documented hypercapnic respiratory failure.</param>
/// <param name="OnSupplementalOxygen">
/// Prescribed home oxygen: NEWS2 adds 2 points and scale 2 scores high SpO2. Null when not known: NEWS2 then scores
/// air/oxygen as missing (a partial score) instead of assuming air, which on scale 2 would score a high SpO2 as normal.
/// </param>
/// <param name="TeamId">The community team responsible for the person.</param>
public sealed record PatientRecord(
    string Id,
    string DisplayName,
    string? NhsNumber,
    DateOnly? DateOfBirth,
    News2Scale News2Scale,
    bool? OnSupplementalOxygen,
    string TeamId,
    DateTimeOffset CreatedAt)
{
    /// <summary>Care settings for NEWS2, with consciousness unknown (missing) and oxygen unknown when not recorded.</summary>
    public News2CareSettings ToNews2CareSettings() => ToNews2CareSettings(consciousness: null);

    /// <summary>
    /// Care settings for NEWS2 with the person's latest ACVPU assessment (from <see cref="IConsciousnessStore.LatestAsync"/>,
    /// null when none is recent enough to count). Unknown oxygen stays null, never "air".
    /// </summary>
    public News2CareSettings ToNews2CareSettings(ConsciousnessLevel? consciousness) => new(News2Scale, OnSupplementalOxygen, consciousness);

    /// <summary>Every problem with this record, empty when it can be stored.</summary>
    public IReadOnlyList<string> Validate(DateOnly today)
    {
        var problems = new List<string>();
        if (!PatientIds.IsWellFormed(Id))
        {
            problems.Add("Id must look like 'pat-' followed by 1–40 lowercase letters, digits or '-'.");
        }
        if (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Length > 200)
        {
            problems.Add("DisplayName is required (at most 200 characters).");
        }
        if (NhsNumber is not null && !NhsNumbers.IsValid(NhsNumber))
        {
            problems.Add("NhsNumber must be 10 digits with a valid check digit.");
        }
        if (DateOfBirth is { } born && (born > today || born < today.AddYears(-130)))
        {
            problems.Add("DateOfBirth must be in the past 130 years.");
        }
        if (!Enum.IsDefined(News2Scale))
        {
            problems.Add("News2Scale must be Scale1 or Scale2.");
        }
        if (string.IsNullOrWhiteSpace(TeamId))
        {
            problems.Add("TeamId is required.");
        }
        return problems;
    }
}
