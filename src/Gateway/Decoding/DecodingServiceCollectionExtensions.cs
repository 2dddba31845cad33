using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Telehealth.Gateway.Decoding;

public static class DecodingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DecodingOptions"/> (bound from <paramref name="configSectionPath"/>, validated at start) and
    /// the three device payload decoders as singletons; they are stateless and thread-safe.
    /// </summary>
    public static IServiceCollection AddDeviceDecoding(this IServiceCollection services, string configSectionPath = DecodingOptions.SectionName)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DecodingOptions>()
            .BindConfiguration(configSectionPath)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(provider => new SenmlDecoder(provider.GetRequiredService<IOptions<DecodingOptions>>().Value));
        services.TryAddSingleton(provider => new TelecareEventDecoder(provider.GetRequiredService<IOptions<DecodingOptions>>().Value));
        services.TryAddSingleton(provider => new DeviceStatusDecoder(provider.GetRequiredService<IOptions<DecodingOptions>>().Value));
        return services;
    }
}
