using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Turns what stopped the process at start into one line an operator can act on, naming the setting when a setting
/// is the cause (a value that does not convert, an option that fails validation, an address that cannot be bound).
/// The process then exits with <see cref="ExitCode"/>, not a stack trace and 134.
/// </summary>
public static partial class StartupFailure
{
    public const int ExitCode = 2;

    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var root = Unwrap(exception);
        if (Find<Telehealth.Contracts.Storage.DatabaseSchemaException>(root) is { } schema)
        {
            return "Cannot open the care record: " + FirstLine(schema.Message);
        }
        if (Find<OptionsValidationException>(root) is { } invalid)
        {
            var section = SectionOf(invalid.OptionsType);
            return "Invalid setting: " + string.Join(" ", invalid.Failures.Select(failure => Qualified(Sentence(failure), Members(failure), section)));
        }
        for (var current = root; current is not null; current = current.InnerException)
        {
            if (ConversionFailure().Match(current.Message) is { Success: true } match)
            {
                var (value, setting, type) = (match.Groups["value"].Value, match.Groups["path"].Value, match.Groups["type"].Value);
                var typeName = type[(type.LastIndexOf('.') + 1)..];
                var allowed = FindType(type) is { IsEnum: true } enumType
                    ? $" (one of: {string.Join(", ", Enum.GetNames(enumType))})"
                    : Allowed(typeName);
                return $"Invalid setting {setting}: '{Clip(value)}' is not a valid {typeName}{allowed}.";
            }
        }
        if (Find<IOException>(root) is { } io && io.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            return $"Cannot listen (check Urls and Mqtt:Embedded:BindAddress/Port): {FirstLine(io.Message)}";
        }
        return $"Cannot start: {FirstLine(root.Message)} ({root.GetType().Name})";
    }

    /// <summary>
    /// Where an options type is bound. Its <c>SectionName</c>, except for sections the host nests under another one
    /// (the adapter that owns the options does not know where the host puts them).
    /// </summary>
    private static string? SectionOf(Type? optionsType)
    {
        if (optionsType is null)
        {
            return null;
        }
        if (optionsType == typeof(Telehealth.Ingest.Storage.Influx.InfluxOptions))
        {
            return $"{StorageOptions.SectionName}:{Telehealth.Ingest.Storage.Influx.InfluxOptions.SectionName}";
        }
        return optionsType.GetField("SectionName", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetRawConstantValue() as string;
    }

    /// <summary>
    /// A failure that does not already name its setting ("The field BatchSize must be …", "Url must be …") gets the
    /// full path (Fhir:BatchSize), so the operator knows which file line to change without reading the source.
    /// </summary>
    private static string Qualified(string sentence, string? members, string? section)
    {
        if (section is null || string.IsNullOrEmpty(members) || members.Contains(',', StringComparison.Ordinal)
            || sentence.StartsWith(section + ":", StringComparison.Ordinal) || sentence.Contains(section + ":", StringComparison.Ordinal))
        {
            return sentence;
        }
        var path = $"{section}:{members.Replace('.', ':')}";
        return sentence.StartsWith(members + " ", StringComparison.Ordinal)
            ? path + sentence[members.Length..]
            : $"{path}: {sentence}";
    }

    private static string? Members(string failure) =>
        DataAnnotationPrefix().Match(failure) is { Success: true } match ? match.Groups["members"].Value : null;

    private static Type? FindType(string fullName) =>
        AppDomain.CurrentDomain.GetAssemblies().Select(assembly => assembly.GetType(fullName)).FirstOrDefault(type => type is not null);

    private static string Allowed(string typeName) => typeName switch
    {
        "TimeSpan" => " (for example 00:00:30)",
        "Int32" or "Int64" => " (a whole number)",
        "Boolean" => " (true or false)",
        "Uri" => " (an absolute URL)",
        _ => string.Empty,
    };

    private static Exception Unwrap(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Unwrap(aggregate.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Unwrap(inner),
        _ => exception,
    };

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
            if (current is AggregateException aggregate && aggregate.InnerExceptions.Select(Unwrap).OfType<T>().FirstOrDefault() is { } inAggregate)
            {
                return inAggregate;
            }
        }
        return null;
    }

    private static string Sentence(string failure)
    {
        var text = DataAnnotationPrefix().Replace(failure, string.Empty).Trim();
        if (text.Length != failure.Trim().Length && text.EndsWith("'.", StringComparison.Ordinal))
        {
            text = text[..^2]; // the quote and full stop the data-annotation wrapper adds
        }
        return text.EndsWith('.') ? text : text + ".";
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    // A configured value may be anything: keep the line short and on one line.
    private static string Clip(string value) => Telehealth.Contracts.Diagnostics.UntrustedText.Clip(value, 80);

    [GeneratedRegex(@"Failed to convert configuration value '(?<value>.*)' at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']+' members: '(?<members>[^']*)' with the error: '", RegexOptions.None)]
    private static partial Regex DataAnnotationPrefix();
}
