using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>One real platform (embedded broker, SQLite) shared by a test class; each test makes its own patients and devices.</summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public TelehealthPlatform Platform { get; private set; } = null!;

    /// <summary>The admin of the default team: adds people, issues devices, works alerts.</summary>
    public HttpClient Staff { get; private set; } = null!;

    public const string ClinicianUsername = "clinician1";

    /// <summary>A clinician of the same team: the only role that changes thresholds, care settings and observations.</summary>
    public HttpClient Clinician { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await TelehealthPlatform.StartAsync();
        Staff = await Platform.CreateStaffClientAsync();
        Clinician = await Platform.CreateStaffClientAsync(ClinicianUsername, "clinician");
    }

    public async Task DisposeAsync()
    {
        Staff.Dispose();
        Clinician.Dispose();
        await Platform.DisposeAsync();
    }
}
