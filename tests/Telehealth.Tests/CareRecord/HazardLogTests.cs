using System.Text.RegularExpressions;

namespace Telehealth.Tests.CareRecord;

/// <summary>The hazard log in docs/clinical-safety.md and the tests that show its controls stay tied together.</summary>
public sealed partial class HazardLogTests
{
    [Fact]
    public void Every_hazard_trait_names_a_logged_hazard_and_every_hazard_from_H15_has_a_test_named_after_it()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "clinical-safety.md"));
        var logged = HazardRow().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet();
        var tests = typeof(HazardLogTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .SelectMany(m => m.CustomAttributes
                .Where(a => a.AttributeType == typeof(TraitAttribute))
                .Select(a => (Method: m.Name, Name: (string)a.ConstructorArguments[0].Value!, Value: (string)a.ConstructorArguments[1].Value!)))
            .Where(t => t.Name == "Hazard")
            .ToList();

        Assert.Equal(20, logged.Count);
        Assert.Empty(tests.Where(t => !logged.Contains(t.Value)).Select(t => $"{t.Method} → {t.Value}"));
        var untested = logged.Where(id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) >= 15)
            .Where(id => !tests.Any(t => t.Value == id && t.Method.StartsWith(id + "_", StringComparison.Ordinal)));
        Assert.Empty(untested);
    }

    [GeneratedRegex(@"^\| (H\d+) \|", RegexOptions.Multiline)]
    private static partial Regex HazardRow();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telehealth.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Repository root (Telehealth.sln) not found above the test binaries.");
    }
}
