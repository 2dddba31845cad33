namespace Telehealth.Storage.Sqlite;

/// <summary>
/// What <c>PRAGMA wal_checkpoint</c> answered: whether it was kept from finishing, the frames in the WAL, and how
/// many of them are now in the database file.
/// </summary>
public readonly record struct SqliteCheckpointResult(bool Busy, long WalFrames, long CheckpointedFrames);
