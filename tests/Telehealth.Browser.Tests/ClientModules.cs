using Microsoft.Playwright;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>
/// One platform and one Chromium tab for a class of table tests that import the page's ES modules (wwwroot/js) and
/// call them: started once per class, since each row only evaluates a function.
/// </summary>
public sealed class ClientModules : IAsyncLifetime
{
    private readonly ChromiumBrowser _chromium = new();
    private TelehealthPlatform? _platform;
    private DashboardPage? _dashboard;

    public IPage Page => _dashboard?.Page ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        await _chromium.InitializeAsync();
        _platform = await TelehealthPlatform.StartAsync();
        _dashboard = await _chromium.OpenDashboardAsync(_platform.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }
        if (_platform is not null)
        {
            await _platform.DisposeAsync();
        }
        await _chromium.DisposeAsync();
    }
}
