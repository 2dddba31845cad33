using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Clinician.Web.Auth;
using Telehealth.TestSupport;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// The real platform whose sign-in throttle runs on a fake clock, so a lockout can be waited out exactly. Every test
/// signs in from 127.0.0.1, so the per-source limit is raised here (it has its own table tests) and the account limit
/// is what these tests meet.
/// </summary>
public sealed class SignInPlatformFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public TelehealthPlatform Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platform = await TelehealthPlatform.StartAsync(
            new Dictionary<string, string?> { ["Auth:SignIn:SourceFreeFailures"] = "10000" },
            configureServices: services => services.AddSingleton(sp => new SignInThrottle(sp.GetRequiredService<SignInOptions>(), Clock)));
    }

    public async Task<(string Username, string Password)> AddStaffAsync(string username, string role = StaffRoles.Clinician, string team = "team-community-rehab")
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser(username, role, team), password);
        return (username, password);
    }

    public async Task DisposeAsync() => await Platform.DisposeAsync();
}
