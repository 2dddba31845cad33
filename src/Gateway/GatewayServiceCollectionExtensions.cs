using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Telehealth.Gateway.Decoding;
using Telehealth.Gateway.Ingress;
using Telehealth.Gateway.Mqtt;
using Telehealth.Gateway.Mqtt.BrokerSync;
using Telehealth.Gateway.Mqtt.Nats;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// The device edge: registry, decoding and the embedded broker, the external-broker subscriber or the NATS JetStream consumer.
    /// Expects an IDeviceRegistry, an IIngestSink and an IRejectionLog from the host.
    /// </summary>
    public static IServiceCollection AddTelehealthGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MqttOptions>().Bind(configuration.GetSection(MqttOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MqttOptions>, MqttOptionsValidator>();

        services.AddMetrics();
        services.AddSingleton<GatewayMetrics>();
        services.AddOptions<DeviceIngressOptions>().Bind(configuration.GetSection(DeviceIngressOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DeviceAccessChanges>();
        services.AddSingleton<DeviceRateLimiter>();
        services.AddDeviceDecoding();
        services.AddSingleton<DeviceLookupCache>();
        services.AddSingleton<DeviceMessageHandler>();

        var mode = configuration.GetSection(MqttOptions.SectionName).GetValue(nameof(MqttOptions.Mode), MqttMode.Embedded);
        if (mode == MqttMode.Embedded)
        {
            services.AddSingleton<EmbeddedMqttBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedMqttBroker>());
        }
        else if (mode == MqttMode.NatsJetStream)
        {
            services.AddSingleton<NatsJetStreamIngress>();
            services.AddHostedService(sp => sp.GetRequiredService<NatsJetStreamIngress>());
            if (configuration.GetSection($"{MqttOptions.SectionName}:Nats:Sync").GetValue<bool>(nameof(NatsAccountSyncOptions.Enabled)))
            {
                services.AddSingleton<NatsAccountSync>();
                services.AddHostedService(sp => sp.GetRequiredService<NatsAccountSync>());
            }
        }
        else
        {
            services.AddSingleton<ExternalBrokerIngress>();
            services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerIngress>());
            if (configuration.GetSection($"{MqttOptions.SectionName}:External:Sync").GetValue<bool>(nameof(BrokerSyncOptions.Enabled)))
            {
                services.AddSingleton<MosquittoAccountSync>();
                services.AddHostedService(sp => sp.GetRequiredService<MosquittoAccountSync>());
            }
        }
        return services;
    }
}
