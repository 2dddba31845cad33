using Telehealth.TestSupport.Storage;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>Every PostgreSQL store test of this assembly shares one server (and runs one class at a time on it).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresStoresCollection : ICollectionFixture<PostgresStoreFixture>
{
    public const string Name = "PostgreSQL stores";
}
