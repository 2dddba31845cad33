using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Storage.Engines;

// Each conformance suite once more, on a real PostgreSQL (one server for all of them, a fresh database per test).

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresCaseloadRepositoryTests(PostgresStoreFixture fixture) : CaseloadRepositoryConformance(new PostgresStoreEngine(fixture));
