namespace Telehealth.Contracts.Storage;

/// <summary>
/// Whether the writes of the current flow of work may wait behind others: the quiet group of an evaluation pass (people
/// whose alerts did not change), the alert event followers' outbox appends, the WAL's restarts. Everything else is
/// urgent: an ingest batch (devices wait for their PUBACK) and the group of a pass that raised or changed alerts (a
/// clinician waits for it). An engine whose writers take turns (the embedded SQLite database) hands its turn to urgent
/// writers first, and to a deferrable one that has waited too long; an engine without turns ignores it.
/// </summary>
/// <remarks>
/// Ambient (an <see cref="AsyncLocal{T}"/>) rather than a parameter of every store method: urgency belongs to the work
/// (which group of a pass, which follower), while the stores it calls are the same for both.
/// </remarks>
public static class WriteUrgency
{
    private static readonly AsyncLocal<bool> Deferrable = new();

    /// <summary>Whether writes made from here may wait behind urgent ones.</summary>
    public static bool IsDeferrable => Deferrable.Value;

    /// <summary>Marks the writes made from here, until the answer is disposed, as able to wait behind urgent ones.</summary>
    public static DeferrableScope Defer()
    {
        var previous = Deferrable.Value;
        Deferrable.Value = true;
        return new DeferrableScope(previous);
    }

    /// <summary>Ends a <see cref="Defer"/>: what came before it holds again.</summary>
    public readonly struct DeferrableScope(bool previous) : IDisposable
    {
        public void Dispose() => Deferrable.Value = previous;
    }
}
