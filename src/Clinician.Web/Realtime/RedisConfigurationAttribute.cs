using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Telehealth.Clinician.Web.Realtime;

/// <summary>Empty, or a configuration StackExchange.Redis can parse naming at least one endpoint.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RedisConfigurationAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            return ValidationResult.Success;
        }
        try
        {
            if (ConfigurationOptions.Parse(text).EndPoints.Count > 0)
            {
                return ValidationResult.Success;
            }
        }
        catch (ArgumentException)
        {
            // Refused below with the setting's name.
        }
        return new ValidationResult(
            $"Realtime:{validationContext.MemberName} must be a Redis configuration naming a server, e.g. 'redis:6379' (it was not understood).");
    }
}
