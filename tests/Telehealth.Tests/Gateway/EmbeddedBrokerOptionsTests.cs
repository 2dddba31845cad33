using Microsoft.Extensions.Options;
using Telehealth.Gateway.Mqtt;

namespace Telehealth.Tests.Gateway;

public sealed class EmbeddedBrokerOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_limits_and_valid()
    {
        var options = new EmbeddedBrokerOptions();

        Assert.Equal(8192, options.MaxConnectPacketBytes);
        Assert.Equal(131_072, options.MaxPacketBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
        Assert.Equal(1000, options.MaxConnectionsPerSource);
        Assert.Equal(50, options.ConnectAttemptsPerSecondPerSource);
        Assert.Equal(500, options.ConnectAttemptBurstPerSource);
        Assert.Equal(10_000, options.MaxConnections);
        Assert.Equal(4, options.MaxSessionsPerDevice);
        Assert.Equal(TimeSpan.FromMinutes(1), options.RefusalReportWindow);
        Assert.True(new MqttOptionsValidator().Validate(null, new MqttOptions()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(EmbeddedBrokerOptions.MaxConnectPacketBytes), 100)]
    [InlineData(nameof(EmbeddedBrokerOptions.MaxPacketBytes), 20_000_000)]
    [InlineData(nameof(EmbeddedBrokerOptions.MaxConnectionsPerSource), 0)]
    [InlineData(nameof(EmbeddedBrokerOptions.ConnectAttemptBurstPerSource), 0)]
    [InlineData(nameof(EmbeddedBrokerOptions.MaxConnections), 0)]
    [InlineData(nameof(EmbeddedBrokerOptions.MaxSessionsPerDevice), 0)]
    [InlineData(nameof(EmbeddedBrokerOptions.MaxSessionsPerDevice), 1001)]
    public void A_nested_setting_out_of_range_fails_naming_it(string setting, int value)
    {
        var options = new MqttOptions();
        typeof(EmbeddedBrokerOptions).GetProperty(setting)!.SetValue(options.Embedded, value);

        var result = new MqttOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"Mqtt:Embedded:{setting}", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:05:01")]
    public void A_connect_timeout_out_of_range_fails(string timeout)
    {
        var options = new MqttOptions { Embedded = { ConnectTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) } };

        var result = new MqttOptionsValidator().Validate(null, options);

        Assert.Contains("Mqtt:Embedded:ConnectTimeout", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bind_address_that_is_not_an_ip_fails()
    {
        var result = new MqttOptionsValidator().Validate(null, new MqttOptions { Embedded = { BindAddress = "localhost" } });

        Assert.Contains("BindAddress", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
