using Microsoft.Playwright;

namespace Telehealth.Browser.Tests;

/// <summary>
/// One headless Debian Chromium per test class (an xunit class fixture): launching takes about a second, a fresh
/// context per test keeps tests apart (own cookies and storage, so each test signs in itself).
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    // Debian's package: Playwright must never try to download a browser build (no network here).
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    // Playwright's own defaults (5 s for an assertion, 30 s for an action) are for a quiet machine; CI runs on two
    // cores that may be busy with a build or another suite. An assertion still returns the moment it holds, so these
    // are ceilings, not waits.
    private const float ActionTimeoutMs = 60_000;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("Chromium has not been launched.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: apt-get install -y chromium");
        }
        Assertions.SetDefaultExpectTimeout(DashboardPage.LiveTimeoutMs);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
        });
    }

    /// <summary>A new, signed-out tab on the platform's dashboard, in its own context (dispose the context).</summary>
    public async Task<DashboardPage> OpenDashboardAsync(Uri baseAddress, int width = 1280, int height = 800, Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        if (prepare is not null)
        {
            await prepare(context);
        }
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(context, page);
        await page.GotoAsync("/");
        return dashboard;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }
}
