using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>A platform with a short connect deadline (2 s), so the slow and silent socket cases end quickly.</summary>
public sealed class HostileEdgeFixture : IAsyncLifetime
{
    public TelehealthPlatform Platform { get; private set; } = null!;

    public HttpClient Staff { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?> { ["Mqtt:Embedded:ConnectTimeout"] = "00:00:02" });
        Staff = await Platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        Staff.Dispose();
        await Platform.DisposeAsync();
    }
}
