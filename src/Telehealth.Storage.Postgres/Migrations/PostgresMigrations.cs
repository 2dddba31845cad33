using System.Globalization;
using System.Text.RegularExpressions;

namespace Telehealth.Storage.Postgres.Migrations;

/// <summary>
/// The PostgreSQL schema's migrations: the embedded files <c>Migrations/NNNN_name.sql</c>, in version order. This series
/// is its own (it starts from the SQLite schema as it stood at SQLite version 6); a new table is a new file here and a
/// new file in the SQLite series. An applied file is never edited.
/// </summary>
public static partial class PostgresMigrations
{
    private static readonly Lazy<IReadOnlyList<PostgresMigration>> Embedded = new(Load);

    /// <summary>Every migration this build knows, versions 1, 2, … without gaps.</summary>
    public static IReadOnlyList<PostgresMigration> All => Embedded.Value;

    /// <summary>The newest version this build knows.</summary>
    public static int Latest => All[^1].Version;

    /// <summary>Checks that <paramref name="migrations"/> are numbered 1, 2, … in order, with no gap or repeat.</summary>
    public static IReadOnlyList<PostgresMigration> Validate(IReadOnlyList<PostgresMigration> migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        if (migrations.Count == 0)
        {
            throw new InvalidOperationException("No PostgreSQL migrations are embedded.");
        }
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"PostgreSQL migration '{migrations[i].Name}' has version {migrations[i].Version}; expected {i + 1} (versions are 1, 2, … without gaps)."));
            }
        }
        return migrations;
    }

    private static IReadOnlyList<PostgresMigration> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (ResourceName().Match(resource) is not { Success: true } match)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new PostgresMigration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        return Validate([.. migrations.OrderBy(m => m.Version)]);
    }

    // The project embeds Migrations/*.sql with LogicalName "pg-migrations/<file name>".
    [GeneratedRegex(@"^pg-migrations/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
