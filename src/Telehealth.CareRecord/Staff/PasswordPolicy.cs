namespace Telehealth.CareRecord.Staff;

/// <summary>
/// What a new staff password must be (NCSC guidance: length over composition rules). Returns every problem found,
/// so the person choosing it fixes them at once.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;

    /// <summary>The sign-in endpoint refuses longer input before hashing; a password it could not accept is refused here too.</summary>
    public const int MaxLength = 1_024;

    public static IReadOnlyList<string> Check(string username, string? password)
    {
        var problems = new List<string>();
        if (string.IsNullOrEmpty(password))
        {
            problems.Add("password is required.");
            return problems;
        }
        if (password.Length < MinLength)
        {
            problems.Add($"password must be at least {MinLength} characters.");
        }
        if (password.Length > MaxLength)
        {
            problems.Add($"password must be at most {MaxLength} characters.");
        }
        if (password.Trim().Length == 0)
        {
            problems.Add("password must not be only spaces.");
        }
        if (!string.IsNullOrEmpty(username) && password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("password must not contain the username.");
        }
        if (password.Length >= MinLength && password.Distinct().Count() < 4)
        {
            problems.Add("password must use at least 4 different characters.");
        }
        return problems;
    }
}
