using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Auth;

/// <summary>
/// A configured staff-token signing key must be base64 of at least 32 bytes. Checked at start, so a short or
/// mistyped key stops the process with one line, instead of letting it start and answer 500 to every request.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SigningKeyAttribute : ValidationAttribute
{
    public const int MinimumBytes = 32;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            return ValidationResult.Success; // absent: a key is generated into the data folder
        }
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text.Trim(), buffer, out var length))
        {
            return new ValidationResult("Auth:SigningKey must be base64 (for example `openssl rand -base64 48`).");
        }
        return length < MinimumBytes
            ? new ValidationResult($"Auth:SigningKey must be at least {MinimumBytes} bytes; it is {length}.")
            : ValidationResult.Success;
    }
}
