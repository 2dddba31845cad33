using System.ComponentModel.DataAnnotations;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>Empty, or an absolute http(s) URL.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AbsoluteHttpUrlAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || string.IsNullOrWhiteSpace(text)
        || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.ObjectType.Name.Replace("Options", string.Empty, StringComparison.Ordinal)}:{validationContext.MemberName} must be an absolute http(s) URL or empty.");
}
