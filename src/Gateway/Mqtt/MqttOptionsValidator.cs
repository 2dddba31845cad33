using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Telehealth.Gateway.Mqtt;

/// <summary>
/// Validates the nested Embedded, External and Nats sections, which data annotations on <see cref="MqttOptions"/> alone
/// do not look inside, so a broker limit out of range stops the process at start naming the setting.
/// </summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        var failures = new List<string>();
        Collect(options.Embedded, $"{MqttOptions.SectionName}:{nameof(MqttOptions.Embedded)}", failures);
        Collect(options.External, $"{MqttOptions.SectionName}:{nameof(MqttOptions.External)}", failures);
        Collect(options.External?.Sync, $"{MqttOptions.SectionName}:External:Sync", failures);
        Collect(options.Nats, $"{MqttOptions.SectionName}:{nameof(MqttOptions.Nats)}", failures);
        Collect(options.Nats?.Sync, $"{MqttOptions.SectionName}:Nats:Sync", failures);
        if (options.Embedded is { } embedded && !System.Net.IPAddress.TryParse(embedded.BindAddress, out _))
        {
            failures.Add($"{MqttOptions.SectionName}:Embedded:BindAddress '{embedded.BindAddress}' is not an IP address.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Collect(object? section, string path, List<string> failures)
    {
        if (section is null)
        {
            return;
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
