
using Telehealth.Contracts.Readings;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Ingest;

namespace Telehealth.Integration.Tests.Storage;

public sealed class SqliteReadingStoreConformanceTests : ReadingStoreConformanceTests
{
    private readonly TempSqliteFile _file = new();

    protected override Task<IReadingStore> CreateStoreAsync() =>
        Task.FromResult<IReadingStore>(new SqliteReadingStore(new SqliteDatabase(_file.Path)));

    protected override Task DeleteStoreAsync()
    {
        _file.Dispose();
        return Task.CompletedTask;
    }
}
