using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>A platform with small per-source limits: 5 open connections, 12 connect attempts then almost no refill.</summary>
public sealed class SourceLimitFixture : IAsyncLifetime
{
    public const int MaxConnectionsPerSource = 5;
    public const int Burst = 12;

    public TelehealthPlatform Platform { get; private set; } = null!;

    public HttpClient Staff { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Mqtt:Embedded:MaxConnectionsPerSource"] = MaxConnectionsPerSource.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Embedded:ConnectAttemptBurstPerSource"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mqtt:Embedded:ConnectAttemptsPerSecondPerSource"] = "0.01",
            ["Mqtt:Embedded:ConnectTimeout"] = "00:01:00",
            ["Mqtt:Embedded:MaxSessionsPerDevice"] = "50",
        });
        Staff = await Platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        Staff.Dispose();
        await Platform.DisposeAsync();
    }
}
