using System.Globalization;
using System.Text.RegularExpressions;

namespace Telehealth.Storage.Sqlite.Migrations;

/// <summary>
/// The SQLite schema's migrations: the embedded files <c>Migrations/NNNN_name.sql</c>, in version order. A new
/// change is a new file with the next number; an applied file is never edited (databases already ran it).
/// </summary>
public static partial class SqliteMigrations
{
    private static readonly Lazy<IReadOnlyList<SqliteMigration>> Embedded = new(Load);

    /// <summary>Every migration this build knows, versions 1, 2, … without gaps.</summary>
    public static IReadOnlyList<SqliteMigration> All => Embedded.Value;

    /// <summary>The newest version this build knows.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Checks that <paramref name="migrations"/> are numbered 1, 2, … in order, with no gap or repeat.</summary>
    public static IReadOnlyList<SqliteMigration> Validate(IReadOnlyList<SqliteMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("No SQLite migrations are embedded.");
        }
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"SQLite migration '{migrations[i].Name}' has version {migrations[i].Version}; expected {i + 1} (versions are 1, 2, … without gaps)."));
            }
        }
        return migrations;
    }

    private static IReadOnlyList<SqliteMigration> Load()
    {
        var assembly = typeof(SqliteMigrations).Assembly;
        var migrations = new List<SqliteMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (ResourceName().Match(resource) is not { Success: true } match)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SqliteMigration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        return Validate([.. migrations.OrderBy(m => m.Version)]);
    }

    // The project embeds Migrations/*.sql with LogicalName "migrations/<file name>".
    [GeneratedRegex(@"^migrations/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
