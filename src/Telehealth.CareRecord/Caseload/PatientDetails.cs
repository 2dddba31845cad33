namespace Telehealth.CareRecord.Caseload;

/// <summary>
/// What identifies a person to staff: name, NHS number and date of birth, editable after creation (a mistyped
/// number or a date of birth learned later). Care settings change through <see cref="CareSettingsUpdate"/> instead,
/// with a reason, because they change how readings are scored.
/// </summary>
public sealed record PatientDetails(string DisplayName, string? NhsNumber, DateOnly? DateOfBirth)
{
    /// <summary>The problems with these details, keyed by the API field they belong to, each starting with its reason code.</summary>
    public IReadOnlyDictionary<string, string[]> Validate(DateOnly today)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(DisplayName) || DisplayName.Length > 200)
        {
            problems["displayName"] = ["display_name_required: a name is required (at most 200 characters)."];
        }
        if (NhsNumber is not null && !NhsNumbers.IsValid(NhsNumber))
        {
            problems["nhsNumber"] = [$"{NhsNumbers.InvalidReason}: an NHS number is 10 digits and its last digit must match the modulus 11 check."];
        }
        if (DateOfBirth is { } born && (born > today || born < today.AddYears(-130)))
        {
            problems["dateOfBirth"] = ["date_of_birth_out_of_range: the date of birth must be in the past 130 years."];
        }
        return problems;
    }
}
