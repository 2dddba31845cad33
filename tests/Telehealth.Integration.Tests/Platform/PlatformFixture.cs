using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>One real platform (embedded broker, SQLite) shared by a test class; each test makes its own patients and devices.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public TelehealthPlatform Platform { get; private set; } = null!;

    public HttpClient Staff { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await TelehealthPlatform.StartAsync();
        Staff = await Platform.CreateStaffClientAsync();
    }

    public async Task DisposeAsync()
    {
        Staff.Dispose();
        await Platform.DisposeAsync();
    }
}
