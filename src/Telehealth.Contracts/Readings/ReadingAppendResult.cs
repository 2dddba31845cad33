using System.Collections;

namespace Telehealth.Contracts.Readings;

/// <summary>
/// What an append did: enumerates the readings that were new (in input order), and lists in <see cref="Conflicts"/> the
/// readings whose identity (DeviceId, Kind, DeviceTime) was already stored, or came earlier in the batch, with a
/// different value. A conflict is not a harmless repeat: which value is true cannot be known, so it is refused with a
/// reason rather than acknowledged as a duplicate. Identical repeats are in neither list.
/// </summary>
public sealed class ReadingAppendResult(IReadOnlyList<Reading> added, IReadOnlyList<Reading> conflicts) : IReadOnlyList<Reading>
{
    public static ReadingAppendResult Empty { get; } = new([], []);

    public IReadOnlyList<Reading> Added { get; } = added;

    public IReadOnlyList<Reading> Conflicts { get; } = conflicts;

    public int Count => Added.Count;

    public Reading this[int index] => Added[index];

    public IEnumerator<Reading> GetEnumerator() => Added.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
