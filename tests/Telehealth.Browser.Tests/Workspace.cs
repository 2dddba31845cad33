using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.TestSupport;

namespace Telehealth.Browser.Tests;

/// <summary>What the workspace tests set up and check besides the page itself: staff, people, axe-core, screenshots.</summary>
public static class Workspace
{
    public const string Team = "team-community-rehab";

    /// <summary>A member of the admin's team, with a fresh password.</summary>
    public static async Task<(string Username, string Password)> AddStaffAsync(TelehealthPlatform platform, string username, string role = StaffRoles.Clinician)
    {
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser(username, role, Team), password);
        return (username, password);
    }

    public static async Task<string> CreatePersonAsync(HttpClient staff, string displayName, string nhsNumber, string dateOfBirth)
    {
        var response = await staff.PostAsJsonAsync("/api/patients", new { displayName, nhsNumber, dateOfBirth, news2Scale = 1, onSupplementalOxygen = false });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// Runs axe-core (vendored in wwwroot/lib, loaded from the page's own origin so the strict CSP still holds) on
    /// the page as it is, and returns each violation as "rule: targets" (empty when there is none).
    /// </summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/lib/axe.min.js" });
        }
        return await page.EvaluateAsync<string[]>("""
            async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
              .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)
            """);
    }

    /// <summary>True when nothing is wider than the window (no sideways scrolling).</summary>
    public static Task<bool> FitsWidthAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth");

    /// <summary>Saves a picture of the page into docs/screenshots/ of the repository (shown in the README).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telehealth.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Telehealth.sln not found above " + AppContext.BaseDirectory);
    }
}
