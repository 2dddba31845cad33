namespace Telehealth.Contracts.Storage;

/// <summary>
/// Reads made together as one view of the care record. Between <see cref="Begin"/> and disposing what it returns, the
/// stores' reads on the current flow of work see one committed state of the record, and an engine that can (the
/// embedded SQLite database) serves them all from one connection in one read transaction. The alert engine reads a
/// person's whole record this way for each decision.
/// </summary>
/// <remarks>
/// Why: a decision reads the person's thresholds and their timeline, care settings, ACVPU, rule states, active alerts and
/// latest readings. Taken one by one, each read could see a later commit than the one before it. On SQLite each was
/// also its own read transaction on whichever kept connection came free, and SQLite checks at the start of each whether
/// the connection's page cache is still current (docs/architecture.md has the measured cost).
/// An engine without it (PostgreSQL, where the reads are round trips made side by side) registers none.
/// </remarks>
public interface IReadSnapshots
{
    /// <summary>
    /// Begins a snapshot for the reads made from here (an ambient scope, like <see cref="WriteUrgency"/>), until the
    /// answer is disposed. A read that starts while another read of the snapshot is still open is served outside it,
    /// so reads made side by side stay correct; they are then simply not part of the one view.
    /// </summary>
    IDisposable Begin();
}
