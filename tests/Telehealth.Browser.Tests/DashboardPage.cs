using Microsoft.Playwright;

namespace Telehealth.Browser.Tests;

/// <summary>
/// The staff workspace as a person uses it, by the selectors the page modules (wwwroot/js) render. Counts page loads, so a test
/// can prove an alert arrived live rather than through a reload.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    // Long enough for MQTT → ingest → alert engine → SignalR → DOM on a busy 2-core machine; an auto-waiting
    // assertion returns as soon as the condition holds, so this is a ceiling, not a sleep.
    public static readonly float LiveTimeoutMs = 15_000;

    private readonly IBrowserContext _context;
    private readonly List<string> _policyViolations = [];
    private int _loads;

    public DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        Page.Load += (_, _) => Interlocked.Increment(ref _loads);
        // Chromium reports every resource, script or style the Content-Security-Policy blocked as a console error.
        Page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (_policyViolations)
                {
                    _policyViolations.Add(message.Text);
                }
            }
        };
    }

    /// <summary>What the page's Content-Security-Policy refused so far (empty when the dashboard works under it).</summary>
    public IReadOnlyList<string> PolicyViolations
    {
        get
        {
            lock (_policyViolations)
            {
                return [.. _policyViolations];
            }
        }
    }

    public IPage Page { get; }

    /// <summary>How many times the document has loaded (1 after the first navigation; more means a reload).</summary>
    public int LoadCount => Volatile.Read(ref _loads);

    public ILocator LiveStatus => Page.Locator("#live-status");

    public ILocator AlertCount => Page.Locator("#alert-count");

    /// <summary>Every alert in the live queue, in the order shown (people in queue order, each person's alerts in theirs).</summary>
    public ILocator Alerts => Page.Locator("#queue li.alert");

    /// <summary>The queue's entries, one per person.</summary>
    public ILocator Entries => Page.Locator("#queue li.person-entry");

    public ILocator EntryFor(string patientName) =>
        Entries.Filter(new LocatorFilterOptions { Has = Page.Locator("a.who", new PageLocatorOptions { HasTextString = patientName }) });

    public ILocator LoginError => Page.Locator("#login-error");

    public ILocator Dashboard => Page.Locator("#dashboard");

    public ILocator AlertFor(string patientName) => EntryFor(patientName).Locator("li.alert");

    public ILocator Patient(string patientId) => Page.Locator($"#patients li[data-patient-id=\"{patientId}\"]");

    public async Task SubmitSignInAsync(string username, string password)
    {
        await Page.Locator("#username").FillAsync(username);
        await Page.Locator("#password").FillAsync(password);
        await Page.Locator("#login-form button[type=submit]").ClickAsync();
    }

    /// <summary>
    /// Signs in and waits until the live connection is up and the first load has finished: the caseload list is
    /// filled once patients and active alerts were both loaded (main.js awaits them together), so after this the queue is settled.
    /// </summary>
    public async Task SignInAsync(string username, string password, string knownPatientId)
    {
        await SubmitSignInAsync(username, password);
        await Assertions.Expect(Page.Locator("#live-status[data-state=live]")).ToBeVisibleAsync(new() { Timeout = LiveTimeoutMs });
        await Assertions.Expect(Patient(knownPatientId)).ToHaveCountAsync(1, new() { Timeout = LiveTimeoutMs });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
