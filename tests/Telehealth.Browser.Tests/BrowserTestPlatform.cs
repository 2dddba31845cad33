using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>Starts the real platform for a browser test, on a port nobody else holds.</summary>
public static class BrowserTestPlatform
{
    /// <summary>
    /// TelehealthPlatform asks for Kestrel on port 0, but the app's appsettings.json "Urls" (127.0.0.1:5000) still
    /// wins, so parallel test classes (and anything else on the machine using 5000) collided with "address already
    /// in use". Overriding Urls with port 0 gives each platform its own free loopback port.
    /// </summary>
    public static Task<TelehealthPlatform> StartAsync() =>
        TelehealthPlatform.StartAsync(new Dictionary<string, string?> { ["Urls"] = "http://127.0.0.1:0" });
}
