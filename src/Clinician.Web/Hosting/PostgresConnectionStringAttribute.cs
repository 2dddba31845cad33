using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Empty, or a connection string Npgsql accepts and that names a host. The message names the setting and Npgsql's
/// reason (a keyword or a format), never the string itself: it may hold a password.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PostgresConnectionStringAttribute : ValidationAttribute
{
    private const string Setting = "Storage:Postgres:ConnectionString";

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            return ValidationResult.Success;
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? new ValidationResult($"{Setting} must name a Host (for example Host=db;Database=telehealth;Username=telehealth;Password=…).")
                : ValidationResult.Success;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            return new ValidationResult($"{Setting} is not a valid PostgreSQL connection string ({exception.Message.Split('\n')[0].Trim()}).");
        }
    }
}
