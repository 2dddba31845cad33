namespace Telehealth.CareRecord.Staff;

/// <summary>Usernames appear in tokens, audit rows and alert events, so they are short and plain: a-z, 0-9, '.', '-', '_'.</summary>
public static class UsernamePolicy
{
    public const int MaxLength = 64;

    public static string? Problem(string? username) => username switch
    {
        null or "" => "username is required.",
        { Length: > MaxLength } => $"username is at most {MaxLength} characters.",
        _ when !username.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_') =>
            "username may contain only lower-case letters, digits, '.', '-' and '_'.",
        _ => null,
    };
}
