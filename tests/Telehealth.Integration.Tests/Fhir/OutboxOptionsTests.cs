using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telehealth.Fhir.Outbox;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>Fhir:* settings are checked at start, so a wrong server URL or timing fails loudly, not at 3 a.m.</summary>
public sealed class OutboxOptionsTests
{
    [Theory]
    [InlineData(null, null, null, true, false)]
    [InlineData("", null, null, true, false)]
    [InlineData("http://127.0.0.1:8080/fhir", null, null, true, true)]
    [InlineData("https://fhir.example.nhs.uk/R4/", "00:00:05", "3", true, true)]
    [InlineData("fhir.example.nhs.uk/R4", null, null, false, true)]
    [InlineData("ftp://fhir.example.nhs.uk/R4", null, null, false, true)]
    [InlineData("http://127.0.0.1:8080/fhir", "00:00:00", null, false, true)]
    [InlineData("http://127.0.0.1:8080/fhir", null, "0", false, true)]
    public void Settings_are_validated_when_bound(string? server, string? timeout, string? retries, bool valid, bool pushEnabled)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fhir:Server"] = server,
            ["Fhir:RequestTimeout"] = timeout,
            ["Fhir:MaxRetryAttempts"] = retries,
        }.Where(setting => setting.Value is not null)).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddOptions<FhirPushOptions>().BindConfiguration(FhirPushOptions.SectionName).ValidateDataAnnotations().Services
            .BuildServiceProvider();

        var read = () => services.GetRequiredService<IOptions<FhirPushOptions>>().Value;

        if (valid)
        {
            Assert.Equal(pushEnabled, read().PushEnabled);
        }
        else
        {
            var failure = Assert.Throws<OptionsValidationException>(read);
            Assert.Contains("Fhir", failure.Message + string.Join(" ", failure.Failures), StringComparison.Ordinal);
        }
    }
}
