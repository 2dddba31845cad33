namespace Telehealth.Storage.Sqlite;

/// <summary>
/// The turns of this process's bulk writers on one SQLite file (<see cref="SqliteDatabase.WaitForWriteTurnAsync"/>).
/// One writer at a time; when it is done the turn goes to the oldest urgent waiter, and to the oldest deferrable one
/// (<see cref="Telehealth.Contracts.Storage.WriteUrgency"/>) only when no urgent writer waits, or when it has waited
/// <see cref="DeferredBound"/> already, so that deferrable work is delayed under load but never starved.
/// </summary>
/// <remarks>
/// Why an order at all: behind a quiet group's FHIR Observations, a WAL restart and a follower's outbox append, an
/// ingest batch or the commit that raises an alert waited for all three (publish → dashboard p99 of 72–77 ms at 2,000
/// readings/s, bench/RESULTS.md); now it waits for at most the one writer under way.
/// </remarks>
public sealed class SqliteWriteTurns(TimeProvider time, TimeSpan deferredBound)
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _urgent = new();
    private readonly LinkedList<Waiter> _deferrable = new();
    private bool _held;
    private long _handed;
    private long _heldTicks;

    /// <summary>How long a deferrable writer lets urgent ones go first before it goes next whatever waits.</summary>
    public TimeSpan DeferredBound { get; } = deferredBound;

    /// <summary>Waits for a turn; dispose the answer (once is enough, twice is harmless) to hand it on.</summary>
    public ValueTask<IDisposable> WaitAsync(bool deferrable, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            if (!_held)
            {
                _held = true;
                return ValueTask.FromResult<IDisposable>(new Turn(this));
            }
            waiter = new Waiter(time.GetTimestamp());
            (deferrable ? _deferrable : _urgent).AddLast(waiter.Node);
        }
        return new ValueTask<IDisposable>(WaitForAsync(waiter, cancellationToken));
    }

    /// <summary>Turns handed out so far, and how long they were held in all (the bench reads the writer's share of its clock).</summary>
    public (long Turns, TimeSpan Held) Totals => (Interlocked.Read(ref _handed), System.Diagnostics.Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _heldTicks)));

    /// <summary>Writers waiting now: urgent, then deferrable (for tests and diagnostics).</summary>
    public (int Urgent, int Deferrable) Waiting
    {
        get
        {
            lock (_gate)
            {
                return (_urgent.Count, _deferrable.Count);
            }
        }
    }

    private async Task<IDisposable> WaitForAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => Cancel(waiter, cancellationToken)))
        {
            await waiter.Handed.Task;
        }
        return new Turn(this);
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Node.List is not { } list)
            {
                return; // already handed the turn: the waiter owns it and will hand it on
            }
            list.Remove(waiter.Node);
        }
        waiter.Handed.TrySetCanceled(cancellationToken);
    }

    private void Release()
    {
        Waiter next;
        lock (_gate)
        {
            var oldestDeferrable = _deferrable.First?.Value;
            var chosen = oldestDeferrable is not null && time.GetElapsedTime(oldestDeferrable.Since) >= DeferredBound
                ? oldestDeferrable
                : _urgent.First?.Value ?? oldestDeferrable;
            if (chosen is null)
            {
                _held = false;
                return;
            }
            next = chosen;
            next.Node.List!.Remove(next.Node);
        }
        next.Handed.TrySetResult();
    }

    private sealed class Waiter
    {
        public Waiter(long since)
        {
            Since = since;
            Node = new LinkedListNode<Waiter>(this);
        }

        public long Since { get; }

        public LinkedListNode<Waiter> Node { get; }

        // Continuations run elsewhere: the writer handing on its turn must not run the next one's transaction.
        public TaskCompletionSource Handed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Turn(SqliteWriteTurns turns) : IDisposable
    {
        private readonly long _since = System.Diagnostics.Stopwatch.GetTimestamp();
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Increment(ref turns._handed);
                Interlocked.Add(ref turns._heldTicks, System.Diagnostics.Stopwatch.GetTimestamp() - _since);
                turns.Release();
            }
        }
    }
}
