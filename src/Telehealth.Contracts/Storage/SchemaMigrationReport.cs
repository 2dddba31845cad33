namespace Telehealth.Contracts.Storage;

/// <summary>What a migration run did.</summary>
/// <param name="FromVersion">The version found (0: an empty database, or one made before versioning).</param>
/// <param name="ToVersion">The version now.</param>
/// <param name="Adopted">True when a database made before versioning was checked against the baseline and recorded as version 1.</param>
/// <param name="Applied">The versions applied by this run, in order (empty when there was nothing to do).</param>
public sealed record SchemaMigrationReport(int FromVersion, int ToVersion, bool Adopted, IReadOnlyList<int> Applied);
