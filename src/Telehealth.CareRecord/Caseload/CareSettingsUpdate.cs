using Telehealth.CareRecord.News2;

namespace Telehealth.CareRecord.Caseload;

/// <summary>
/// New NEWS2 care settings for a person. Oxygen null means "not known" (scored as missing), not "unchanged":
/// the caller sends the whole setting it wants in force.
/// </summary>
public sealed record CareSettingsUpdate(News2Scale News2Scale, bool? OnSupplementalOxygen, string ChangedBy, string Reason, DateTimeOffset At)
{
    public const int MaxReasonLength = 500;

    /// <summary>Every problem with this update, empty when it can be stored.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(News2Scale))
        {
            problems.Add("news2Scale must be 1 or 2.");
        }
        if (string.IsNullOrWhiteSpace(Reason) || Reason.Length > MaxReasonLength)
        {
            problems.Add($"reason is required (at most {MaxReasonLength} characters): a change of scale or oxygen changes every later NEWS2.");
        }
        if (string.IsNullOrWhiteSpace(ChangedBy))
        {
            problems.Add("changedBy is required.");
        }
        return problems;
    }
}
