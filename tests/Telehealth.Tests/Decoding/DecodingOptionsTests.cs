using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Telehealth.Contracts.Rejections;
using Telehealth.Gateway.Decoding;
using static Telehealth.Tests.Decoding.DecodingTestData;

namespace Telehealth.Tests.Decoding;

public sealed class DecodingOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_limits()
    {
        var options = new DecodingOptions();

        Assert.Equal(65_536, options.MaxPayloadBytes);
        Assert.Equal(1000, options.MaxRecords);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxClockSkew);
        Assert.Equal(TimeSpan.FromDays(365), options.MaxAge);
        Assert.Empty(Validate(options));
    }

    [Theory]
    [InlineData(nameof(DecodingOptions.MaxPayloadBytes), "0")]
    [InlineData(nameof(DecodingOptions.MaxPayloadBytes), "63")]
    [InlineData(nameof(DecodingOptions.MaxPayloadBytes), "16777217")]
    [InlineData(nameof(DecodingOptions.MaxRecords), "0")]
    [InlineData(nameof(DecodingOptions.MaxRecords), "100001")]
    [InlineData(nameof(DecodingOptions.MaxClockSkew), "-00:00:01")]
    [InlineData(nameof(DecodingOptions.MaxClockSkew), "1.00:00:01")]
    [InlineData(nameof(DecodingOptions.MaxAge), "00:00:59")]
    [InlineData(nameof(DecodingOptions.MaxAge), "3650.00:00:01")]
    public void Out_of_range_setting_fails_validation_naming_the_setting(string setting, string value)
    {
        using var provider = ProviderWith(new() { [$"Decoding:{setting}"] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DecodingOptions>>().Value);

        Assert.Contains(setting, Assert.Single(exception.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Decoders_are_registered_with_the_configured_limits()
    {
        using var provider = ProviderWith(new() { ["Decoding:MaxRecords"] = "2", ["Decoding:MaxClockSkew"] = "00:00:00" });

        var senml = provider.GetRequiredService<SenmlDecoder>();
        var events = provider.GetRequiredService<TelecareEventDecoder>();
        var status = provider.GetRequiredService<DeviceStatusDecoder>();

        var threeRecords = senml.Decode(Utf8("""[{"n":"spo2","u":"%","v":97},{"n":"spo2","u":"%","v":97},{"n":"spo2","u":"%","v":97}]"""), ReceivedAt);
        Assert.Equal(RejectionReasons.PayloadTooLarge, Assert.Single(threeRecords.Rejected).Reason);
        Assert.Equal(RejectionReasons.FutureTimestamp, events.Decode(Utf8("""{"event":"smoke","t":1}"""), ReceivedAt).Rejection?.Reason);
        Assert.Equal(RejectionReasons.FutureTimestamp, status.Decode(Utf8("""{"t":1}"""), ReceivedAt).Rejection?.Reason);
        Assert.Same(senml, provider.GetRequiredService<SenmlDecoder>());
    }

    private static ServiceProvider ProviderWith(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddDeviceDecoding()
            .BuildServiceProvider();
    }

    private static List<ValidationResult> Validate(DecodingOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
