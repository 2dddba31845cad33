namespace Telehealth.Storage.Sqlite.Migrations;

/// <summary>One numbered step of the SQLite schema: applied once, in its own transaction, and recorded in <c>schema_migrations</c>.</summary>
public sealed record SqliteMigration(int Version, string Name, string Sql);
