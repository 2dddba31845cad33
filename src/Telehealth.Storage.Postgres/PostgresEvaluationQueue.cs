using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Evaluation;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;

namespace Telehealth.Storage.Postgres;

/// <summary>
/// The evaluation queue in the shared PostgreSQL care record. The event and consciousness stores add their rows inside
/// the transaction that stores the data (<see cref="EnqueueAsync(NpgsqlConnection, NpgsqlTransaction, TelecareEvent, DateTimeOffset, CancellationToken)"/>),
/// so "stored" without "due" cannot happen; the alert store marks rows done inside the transaction that records the
/// alerts they led to (<see cref="MarkDoneAsync"/>), so "evaluated" without its effect cannot happen either.
/// <para>
/// An item's identity (kind, device, name, device time) is recorded once, when it is first queued, in
/// <c>evaluation_seen</c> (migration 0008): every enqueue inserts the identities there (ON CONFLICT DO NOTHING) and
/// queues only the ones that insert took, in the same statement, so a redelivered reading queues nothing twice, whether
/// its first delivery is still pending, being evaluated, or done. A repeat racing the first delivery waits on that
/// delivery's identity row until it commits (and is then refused) or rolls back (and then goes in). The queue holds
/// pending items only and has no key on the identity: marking an item done is a delete and nothing else. The readings
/// one enqueue takes share a row per person (migration 0010): each is still its own <see cref="DueItem"/>, numbered
/// <see cref="ItemSequence"/> within the row, and the row is claimed, deferred and deleted whole.
/// <see cref="PruneAsync"/> forgets identities first seen before the retention whose items are no longer queued.
/// </para>
/// <para>
/// Several instances consume one queue. A claim takes a lease on each person it returns items of
/// (<c>evaluation_leases</c>: owner, lease end, the last sequence claimed); no other instance claims that person's
/// items until every claimed item is done (the lease row is then deleted in the transaction that marks them done) or
/// the lease has run out (its owner died: taken over after at most <see cref="DefaultLeaseDuration"/>). Claims are
/// serialised by one short advisory lock, so two claims never see the same person free. A person's items are therefore
/// evaluated by one instance at a time, in queue order (docs/architecture.md, "Shared care record on PostgreSQL").
/// </para>
/// </summary>
public sealed class PostgresEvaluationQueue(PostgresDatabase database, TimeProvider time, TimeSpan? leaseDuration = null) : IEvaluationQueue, IReadingAdmissions
{
    /// <summary>How long a claim holds a person: far longer than one evaluation pass, short enough that a dead
    /// instance's people are taken over without anyone noticing a gap in monitoring.</summary>
    public static readonly TimeSpan DefaultLeaseDuration = TimeSpan.FromMinutes(2);

    private readonly TimeSpan _leaseDuration = leaseDuration ?? DefaultLeaseDuration;

    /// <summary>How many people must be waiting before a claim leaves half of them to other instances.</summary>
    public const int ShareFromPeople = 16;

    /// <summary>This consumer's name in the lease table (unique per queue object, so two in one process are two owners).</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    internal const string ReadingKind = "reading";
    private const string ReadingsKind = "readings";

    /// <summary>
    /// Bits of an item's <see cref="DueItem.Sequence"/> that number it within its queue row: a row of readings
    /// (item_kind 'readings', migration 0010) holds one batch's readings of one person, each of which is still its own
    /// item to the worker. An item's sequence is its row's seq shifted left by this, plus its place in the row, so queue
    /// order is row order and then order in the row, and the row of any sequence is one shift away.
    /// </summary>
    public const int ItemBits = 20;

    /// <summary>The most readings one queue row holds (a longer batch of one person's is queued in several rows).</summary>
    public const int MaxReadingsPerRow = 1 << ItemBits;

    /// <summary>The sequence of the item at <paramref name="index"/> in queue row <paramref name="rowSeq"/>.</summary>
    public static long ItemSequence(long rowSeq, int index) => (rowSeq << ItemBits) | (uint)index;

    /// <summary>The queue row that holds the item with this sequence.</summary>
    public static long RowOf(long itemSequence) => itemSequence >> ItemBits;

    private static long[] RowsOf(IEnumerable<long> itemSequences) => [.. itemSequences.Select(RowOf).Distinct()];
    private const string EventKind = "event";
    private const string StatusKind = "status";
    private const string TimerKind = "timer";
    private const string ConsciousnessKind = "consciousness";
    private const string ReassessKind = "reassess";

    public async Task EnqueueReadingsAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnqueueAsync(connection, transaction, readings, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Opens a <see cref="PostgresReadingAdmission"/>: the batch's identities recorded, its transaction still open.</summary>
    public async Task<IReadingAdmission> AdmitAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readings);
        return await PostgresReadingAdmission.AdmitAsync(database, readings, time.GetUtcNow(), cancellationToken);
    }

    public async Task EnqueueEventAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(telecareEvent);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnqueueAsync(connection, transaction, telecareEvent, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task EnqueueStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = CreateInsert(connection, null);
        // name = the device type, value = the battery: a status's identity is its device and device time.
        Bind(insert, status.PatientId, StatusKind, status.DeviceId, status.DeviceType, status.BatteryPercent, status.DeviceTime, status.ReceivedAt,
            time.GetUtcNow(), status.Interval);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task EnqueueReassessAsync(string patientId, CareRecordChange change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnqueueReassessAsync(connection, transaction, patientId, change, time.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a re-evaluation inside the caller's transaction (the one that records the change). The person's id
    /// stands in the device column, so (person, part, time) is the item's identity.
    /// </summary>
    public static async Task EnqueueReassessAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string patientId, CareRecordChange change,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!CareRecordChanges.IsKnown(change.What))
        {
            throw new ArgumentException($"Unknown care-record change '{change.What}'.", nameof(change));
        }
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, patientId, ReassessKind, patientId, change.What, null, change.At, now, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues an ACVPU assessment inside the caller's transaction (the one that stores it). Its identity is the
    /// person and the millisecond (the person's id stands in the device column); the name carries its source
    /// ("staff:{username}" or "device:{deviceId}") and the value the level.
    /// </summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConsciousnessObservation observation,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(observation);
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, observation.PatientId, ConsciousnessKind, observation.PatientId, $"{observation.SourceKind}:{observation.SourceId}",
            (int)observation.Level, observation.ObservedAt, observation.ReceivedAt, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a rule's timer inside the caller's transaction (the one that takes it from the wake-up table), keyed by
    /// patient, rule and wake time so firing it twice queues it once.
    /// </summary>
    public static async Task EnqueueTimerAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string patientId, RuleTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, patientId, TimerKind, patientId, timer.RuleKey, null, timer.WakeAt, now, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues readings inside the caller's transaction (the one that stores them), in one statement: the ingest writer's
    /// batch is hundreds of readings, and a round trip each made queueing them cost more than storing them. A reading
    /// repeated within the call counts once (its first, as DISTINCT ON keeps it); the identities go into
    /// <c>evaluation_seen</c> one by one in key order (time first: ascending at the b-tree's right edge, and two batches
    /// sharing identities wait on each other in one order, never in a cycle), and the readings that insert took are
    /// queued as one row per person (migration 0010), in the readings' order (WITH ORDINALITY): queue order per person
    /// stays arrival order, and the people's rows are numbered in the order their first reading arrived.
    /// </summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<Reading> readings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var all = readings as IReadOnlyList<Reading> ?? readings.ToList();
        // A row numbers its items in ItemBits bits: a call that could put more in one person's row is queued in parts,
        // in order (never in practice: an ingest batch is a few thousand readings).
        for (var offset = 0; offset < all.Count; offset += MaxReadingsPerRow)
        {
            var part = all.Count <= MaxReadingsPerRow ? all : all.Skip(offset).Take(MaxReadingsPerRow).ToList();
            await EnqueuePartAsync(connection, transaction, part, now, cancellationToken);
        }
    }

    private static async Task EnqueuePartAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Reading> all, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = PostgresDatabase.PlanForEachCall + """
            WITH input AS (
                SELECT DISTINCT ON (r.device_time_ms, r.device_id, r.name) r.*
                FROM unnest(@patients, @devices, @names, @values, @times, @received)
                     WITH ORDINALITY AS r(patient_id, device_id, name, value, device_time_ms, received_at_ms, position)
                ORDER BY r.device_time_ms, r.device_id, r.name, r.position
            ),
            seen AS (
                INSERT INTO evaluation_seen (item_kind, device_id, name, device_time_ms, seen_at_ms)
                SELECT @kind, i.device_id, i.name, i.device_time_ms, @now FROM input i
                ON CONFLICT DO NOTHING
                RETURNING device_id, name, device_time_ms
            ),
            taken AS (
                SELECT i.* FROM input i JOIN seen s ON s.device_id = i.device_id AND s.name = i.name AND s.device_time_ms = i.device_time_ms
            )
            """ + QueueTakenRows;
        insert.Parameters.AddWithValue("@kind", ReadingKind);
        insert.Parameters.AddWithValue("@rowKind", ReadingsKind);
        insert.Parameters.AddWithValue("@now", PostgresTime.ToUnixMs(now));
        insert.Parameters.AddWithValue("@patients", all.Select(reading => reading.PatientId).ToArray());
        insert.Parameters.AddWithValue("@devices", all.Select(reading => reading.DeviceId).ToArray());
        insert.Parameters.AddWithValue("@names", all.Select(reading => reading.Kind.WireName()).ToArray());
        insert.Parameters.AddWithValue("@values", all.Select(reading => reading.Value).ToArray());
        insert.Parameters.AddWithValue("@times", all.Select(reading => PostgresTime.ToUnixMs(reading.DeviceTime)).ToArray());
        insert.Parameters.AddWithValue("@received", all.Select(reading => PostgresTime.ToUnixMs(reading.ReceivedAt)).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Queues the readings of the relation <c>taken</c> (patient_id, device_id, name, value, device_time_ms,
    /// received_at_ms, position) as one row per person, in position order, people in the order of their first reading.
    /// The row's scalar device, name and times are its first reading's (NOT NULL columns, and a glance at the table
    /// still says what a row is); its value is NULL: the readings are in the arrays.
    /// </summary>
    private const string QueueTakenRows = """
        INSERT INTO evaluation_queue
            (patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms, enqueued_at_ms, due_at_ms,
             reading_devices, reading_names, reading_values, reading_times, reading_received)
        SELECT p.patient_id, @rowKind, p.devices[1], p.names[1], NULL, p.times[1], p.received[1], @now, @now,
               p.devices, p.names, p.readingValues, p.times, p.received
        FROM (SELECT t.patient_id, MIN(t.position) AS first,
                     array_agg(t.device_id ORDER BY t.position) AS devices, array_agg(t.name ORDER BY t.position) AS names,
                     array_agg(t.value ORDER BY t.position) AS readingValues, array_agg(t.device_time_ms ORDER BY t.position) AS times,
                     array_agg(t.received_at_ms ORDER BY t.position) AS received
              FROM taken t GROUP BY t.patient_id) p
        ORDER BY p.first
        """;

    /// <summary>
    /// Queues readings whose identities the caller's transaction has already taken into <c>evaluation_seen</c>
    /// (<see cref="PostgresReadingAdmission"/>), one row per person, in the given order.
    /// </summary>
    internal static async Task QueueTakenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Reading> all, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // Grouped here rather than in SQL (GROUP BY with an ordered array_agg per column sorted the batch five times,
        // about a quarter of PostgreSQL's time for the batch): the readings go in person by person, each person's in
        // arrival order, people in the order of their first reading, and each row is a slice of the arrays.
        var byPerson = new Dictionary<string, List<Reading>>(StringComparer.Ordinal);
        var people = new List<string>();
        foreach (var reading in all)
        {
            if (!byPerson.TryGetValue(reading.PatientId, out var readings))
            {
                byPerson.Add(reading.PatientId, readings = []);
                people.Add(reading.PatientId);
            }
            readings.Add(reading);
        }
        var rows = new List<(string PatientId, List<Reading> Readings)>();
        foreach (var patientId in people)
        {
            var readings = byPerson[patientId];
            // A row numbers its items in ItemBits bits: a longer run of one person's is queued as several rows, in order.
            for (var offset = 0; offset < readings.Count; offset += MaxReadingsPerRow)
            {
                rows.Add((patientId, readings.Count <= MaxReadingsPerRow ? readings : readings.GetRange(offset, Math.Min(MaxReadingsPerRow, readings.Count - offset))));
            }
        }
        var ordered = rows.SelectMany(row => row.Readings).ToList();
        var first = new int[rows.Count];
        var last = new int[rows.Count];
        var next = 1; // PostgreSQL arrays count from 1
        for (var i = 0; i < rows.Count; i++)
        {
            first[i] = next;
            next += rows[i].Readings.Count;
            last[i] = next - 1;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = PostgresDatabase.PlanForEachCall + """
            INSERT INTO evaluation_queue
                (patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms, enqueued_at_ms, due_at_ms,
                 reading_devices, reading_names, reading_values, reading_times, reading_received)
            SELECT r.patient_id, @rowKind, (@devices)[r.first], (@names)[r.first], NULL, (@times)[r.first], (@received)[r.first], @now, @now,
                   (@devices)[r.first:r.last], (@names)[r.first:r.last], (@values)[r.first:r.last], (@times)[r.first:r.last], (@received)[r.first:r.last]
            FROM unnest(@rowPatients, @rowFirst, @rowLast) WITH ORDINALITY AS r(patient_id, first, last, position)
            ORDER BY r.position
            """;
        insert.Parameters.AddWithValue("@rowKind", ReadingsKind);
        insert.Parameters.AddWithValue("@now", PostgresTime.ToUnixMs(now));
        insert.Parameters.AddWithValue("@rowPatients", rows.Select(row => row.PatientId).ToArray());
        insert.Parameters.AddWithValue("@rowFirst", first);
        insert.Parameters.AddWithValue("@rowLast", last);
        insert.Parameters.AddWithValue("@devices", ordered.Select(reading => reading.DeviceId).ToArray());
        insert.Parameters.AddWithValue("@names", ordered.Select(reading => reading.Kind.WireName()).ToArray());
        insert.Parameters.AddWithValue("@values", ordered.Select(reading => reading.Value).ToArray());
        insert.Parameters.AddWithValue("@times", ordered.Select(reading => PostgresTime.ToUnixMs(reading.DeviceTime)).ToArray());
        insert.Parameters.AddWithValue("@received", ordered.Select(reading => PostgresTime.ToUnixMs(reading.ReceivedAt)).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues a telecare event inside the caller's transaction (the one that stores it).</summary>
    public static async Task EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TelecareEvent telecareEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var insert = CreateInsert(connection, transaction);
        Bind(insert, telecareEvent.PatientId, EventKind, telecareEvent.DeviceId, telecareEvent.Type.WireName(), null, telecareEvent.DeviceTime, telecareEvent.ReceivedAt, now);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Marks items evaluated inside the caller's transaction (the one that records their effects), all of a pass in one
    /// round trip; then the leases of <paramref name="patientIds"/> end, once nothing they claimed is left undone.
    /// <paramref name="now"/> is not recorded (since migration 0008 retention counts from when an item was first queued).
    /// </summary>
    public static async Task MarkDoneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<long> sequences,
        IReadOnlyCollection<string> patientIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (sequences.Count == 0)
        {
            return;
        }
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        // The identity stays in evaluation_seen (recorded when queued), so deleting the item is all that marks it done:
        // a redelivery is refused there. An item already gone (marked done by an earlier commit) is not there to delete.
        // A row of readings goes whole: a claim takes rows whole and a pass ends a person's claimed items together.
        update.CommandText = """
            DELETE FROM evaluation_queue WHERE seq = ANY(@seqs);
            DELETE FROM evaluation_leases l
            WHERE l.patient_id = ANY(@patients)
              AND NOT EXISTS (SELECT 1 FROM evaluation_queue q
                              WHERE q.patient_id = l.patient_id AND q.done_at_ms IS NULL AND q.seq <= l.claimed_through);
            """;
        update.Parameters.AddWithValue("@seqs", RowsOf(sequences));
        update.Parameters.AddWithValue("@patients", patientIds.Distinct(StringComparer.Ordinal).ToArray());
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DueItem>> ClaimAsync(int maxItems, DateTimeOffset now, IReadOnlyCollection<string> skipPatients,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxItems);
        ArgumentNullException.ThrowIfNull(skipPatients);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await PostgresLocks.TakeAsync(connection, transaction, PostgresLocks.EvaluationClaim, cancellationToken);
        await using var command = connection.CreateCommand();
        // The people with pending items are found by skipping along the (patient, seq) index, one probe per person
        // (a recursive "loose index scan"), and only then are items read, per claimable person. Reading pending rows in
        // queue order and dropping those of people another instance holds made every claim of the idle instance read
        // the whole backlog (15.6 million index fetches for 40,000 readings in the split benchmark).
        // A patient whose earlier item is backing off is skipped from that item on: evaluation order per patient is
        // queue order. Only a failed attempt (DeferAsync) makes an item due after it was queued, so backing off is
        // looked for among items with attempts (ix_evaluation_queue_backing_off, migration 0008: a fresh item is due
        // when queued, whatever the clocks of the instance queueing it and the one claiming say).
        // A patient another live instance holds is skipped whole: it is evaluating their earlier items.
        // The oldest items win, so each person's items claimed are a prefix of their claimable items, in queue order.
        // Rows are claimed whole (a row of readings is one batch's of one person, migration 0010): rows are taken in
        // queue order while fewer than maxItems items come before them, so a claim may return a few more than asked.
        // From ShareFromPeople people waiting, a claim takes half of them (those waiting longest first): another
        // instance then finds the other half free and evaluates it at the same time. Taking everyone left the other
        // instances idle until the whole pass was committed (measured: 39,200 of 40,000 readings evaluated by one of
        // two). The worker claims again at once after a pass that found work, so one instance alone still takes
        // everyone, in two passes; below the threshold a second pass would cost more than sharing saves.
        // The people the caller skips (its own running passes hold them) are left out before anything of theirs is read,
        // and are not counted as waiting. Their lease is not touched: it stays as the claim that took them left it, so
        // claimed_through is still the last item of the running pass, whose commit then ends the lease (MarkDoneAsync)
        // and frees the person for the next claim, of any instance, from their next item on. Claiming them here again
        // re-read the pass's undone items and extended and widened the lease on every claim beside a running pass
        // (2.2-4.6 items returned per reading evaluated in split benchmark runs; exactly 1 since), only for the worker to
        // drop them.
        command.CommandText = PostgresDatabase.PlanForEachCall + """
            WITH RECURSIVE pending_patients(patient_id) AS (
                (SELECT patient_id FROM evaluation_queue WHERE done_at_ms IS NULL ORDER BY patient_id LIMIT 1)
                UNION ALL
                SELECT (SELECT q.patient_id FROM evaluation_queue q
                        WHERE q.done_at_ms IS NULL AND q.patient_id > p.patient_id ORDER BY q.patient_id LIMIT 1)
                FROM pending_patients p WHERE p.patient_id IS NOT NULL
            ),
            backing_off AS (
                SELECT patient_id, MIN(seq) AS from_seq FROM evaluation_queue
                WHERE attempts > 0 AND due_at_ms > @now
                GROUP BY patient_id
            ),
            claimable AS (
                SELECT p.patient_id, b.from_seq, o.oldest
                FROM pending_patients p
                LEFT JOIN backing_off b ON b.patient_id = p.patient_id
                CROSS JOIN LATERAL (SELECT q.seq AS oldest FROM evaluation_queue q
                                    WHERE q.patient_id = p.patient_id AND q.done_at_ms IS NULL ORDER BY q.seq LIMIT 1) o
                WHERE p.patient_id IS NOT NULL
                  AND NOT (p.patient_id = ANY(@skip))
                  AND (b.from_seq IS NULL OR o.oldest < b.from_seq)
                  AND NOT EXISTS (SELECT 1 FROM evaluation_leases l
                                  WHERE l.patient_id = p.patient_id AND l.owner <> @owner AND l.lease_until_ms > @now)
            ),
            chosen AS (
                SELECT c.patient_id, c.from_seq,
                       row_number() OVER (ORDER BY c.oldest) AS turn, count(*) OVER () AS waiting
                FROM claimable c
            )
            SELECT r.seq, r.patient_id, r.item_kind, r.device_id, r.name, r.value, r.device_time_ms, r.received_at_ms, r.attempts, r.interval_ms,
                   r.reading_devices, r.reading_names, r.reading_values, r.reading_times, r.reading_received
            FROM (
                SELECT i.*, SUM(i.items) OVER (ORDER BY i.seq) - i.items AS items_before
                FROM chosen c CROSS JOIN LATERAL (
                    SELECT q.seq, q.patient_id, q.item_kind, q.device_id, q.name, q.value, q.device_time_ms, q.received_at_ms, q.attempts, q.interval_ms,
                           q.reading_devices, q.reading_names, q.reading_values, q.reading_times, q.reading_received,
                           COALESCE(cardinality(q.reading_names), 1) AS items
                    FROM evaluation_queue q
                    WHERE q.patient_id = c.patient_id AND q.done_at_ms IS NULL AND (c.from_seq IS NULL OR q.seq < c.from_seq)
                    ORDER BY q.seq
                    LIMIT @max) i
                WHERE c.waiting < @shareFrom OR c.turn <= (c.waiting + 1) / 2
            ) r
            WHERE r.items_before < @max
            ORDER BY r.seq
            """;
        command.Parameters.AddWithValue("@now", PostgresTime.ToUnixMs(now));
        command.Parameters.AddWithValue("@max", maxItems);
        command.Parameters.AddWithValue("@owner", Owner);
        command.Parameters.AddWithValue("@shareFrom", (long)ShareFromPeople);
        command.Parameters.Add("@skip", NpgsqlDbType.Array | NpgsqlDbType.Text).Value = skipPatients.ToArray();
        var items = new List<DueItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = reader.GetInt64(0);
            var patientId = reader.GetString(1);
            if (reader.GetString(2) == ReadingsKind)
            {
                AddReadings(items, reader, row, patientId);
                continue;
            }
            var sequence = ItemSequence(row, 0);
            var deviceId = reader.GetString(3);
            var name = reader.GetString(4);
            var deviceTime = PostgresTime.FromUnixMs(reader.GetInt64(6));
            var receivedAt = PostgresTime.FromUnixMs(reader.GetInt64(7));
            var attempts = reader.GetInt32(8);
            items.Add(reader.GetString(2) switch
            {
                ReadingKind => DueItem.ForReading(sequence,
                    new Reading(deviceId, patientId, VitalKinds.ParseWireName(name), reader.GetDouble(5), deviceTime, receivedAt), attempts),
                EventKind when TelecareEventTypes.TryParseWireName(name, out var type) => DueItem.ForEvent(sequence,
                    new TelecareEvent(deviceId, patientId, type, deviceTime, receivedAt), attempts),
                StatusKind => DueItem.ForStatus(sequence, new DeviceStatusReport(deviceId, patientId,
                    reader.IsDBNull(5) ? null : (int)reader.GetDouble(5), deviceTime, receivedAt, name,
                    reader.IsDBNull(9) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(9))), attempts),
                TimerKind => DueItem.ForTimer(sequence, patientId, new RuleTimer(name, deviceTime), attempts),
                ConsciousnessKind when !reader.IsDBNull(5) && ConsciousnessSource(name) is { } source && Enum.IsDefined((AcvpuLevel)(int)reader.GetDouble(5)) =>
                    DueItem.ForConsciousness(sequence, new ConsciousnessObservation(patientId, (AcvpuLevel)(int)reader.GetDouble(5), deviceTime, receivedAt,
                        DeviceId: source.Kind == "device" ? source.Id : null, RecordedBy: source.Kind == "staff" ? source.Id : null), attempts),
                ReassessKind when CareRecordChanges.IsKnown(name) => DueItem.ForReassess(sequence, patientId, new CareRecordChange(name, deviceTime), attempts),
                var other => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Evaluation queue row {row} has unknown kind '{other}' or name."))
            });
        }
        await reader.CloseAsync();
        if (items.Count > 0)
        {
            await LeaseAsync(connection, transaction, items, now, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return items;
    }

    /// <summary>The readings of one queue row (item_kind 'readings'), each its own item, in the row's order.</summary>
    private static void AddReadings(List<DueItem> items, NpgsqlDataReader reader, long row, string patientId)
    {
        var attempts = reader.GetInt32(8);
        var devices = reader.GetFieldValue<string[]>(10);
        var names = reader.GetFieldValue<string[]>(11);
        var values = reader.GetFieldValue<double[]>(12);
        var times = reader.GetFieldValue<long[]>(13);
        var received = reader.GetFieldValue<long[]>(14);
        if (names.Length != devices.Length || values.Length != devices.Length || times.Length != devices.Length || received.Length != devices.Length)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Evaluation queue row {row} has reading arrays of different lengths."));
        }
        for (var index = 0; index < devices.Length; index++)
        {
            items.Add(DueItem.ForReading(ItemSequence(row, index),
                new Reading(devices[index], patientId, VitalKinds.ParseWireName(names[index]), values[index],
                    PostgresTime.FromUnixMs(times[index]), PostgresTime.FromUnixMs(received[index])), attempts));
        }
    }

    private async Task LeaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<DueItem> items, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var claimed = items.GroupBy(item => item.PatientId, StringComparer.Ordinal).Select(g => (Patient: g.Key, Through: RowOf(g.Max(item => item.Sequence)))).ToList();
        await using var lease = connection.CreateCommand();
        lease.Transaction = transaction;
        // An expired lease of another owner is taken over whole; our own is extended and widened.
        lease.CommandText = """
            INSERT INTO evaluation_leases (patient_id, owner, lease_until_ms, claimed_through)
            SELECT t.patient_id, @owner, @until, t.through FROM unnest(@patients, @through) AS t(patient_id, through)
            ON CONFLICT (patient_id) DO UPDATE SET
                claimed_through = CASE WHEN evaluation_leases.owner = EXCLUDED.owner
                                       THEN GREATEST(evaluation_leases.claimed_through, EXCLUDED.claimed_through)
                                       ELSE EXCLUDED.claimed_through END,
                owner = EXCLUDED.owner, lease_until_ms = EXCLUDED.lease_until_ms
            """;
        lease.Parameters.AddWithValue("@owner", Owner);
        lease.Parameters.AddWithValue("@until", PostgresTime.ToUnixMs(now + _leaseDuration));
        lease.Parameters.AddWithValue("@patients", claimed.Select(c => c.Patient).ToArray());
        lease.Parameters.AddWithValue("@through", claimed.Select(c => c.Through).ToArray());
        await lease.ExecuteNonQueryAsync(cancellationToken);
    }

    private static (string Kind, string Id)? ConsciousnessSource(string name) =>
        name.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && name[..colon] is "staff" or "device" && colon < name.Length - 1
            ? (name[..colon], name[(colon + 1)..])
            : null;

    public async Task DeferAsync(IReadOnlyList<long> sequences, string error, DateTimeOffset retryAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE evaluation_queue SET attempts = attempts + 1, due_at_ms = @due, last_error = @error
            WHERE seq = @seq AND done_at_ms IS NULL
            """;
        update.Parameters.AddWithValue("@due", PostgresTime.ToUnixMs(retryAt));
        update.Parameters.AddWithValue("@error", error.Length > 500 ? error[..500] : error);
        var seq = update.Parameters.Add("@seq", NpgsqlDbType.Bigint);
        foreach (var row in RowsOf(sequences))
        {
            seq.Value = row;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(int Count, DateTimeOffset? OldestEnqueuedAt)> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT COALESCE(SUM(COALESCE(cardinality(reading_names), 1)), 0)::bigint, MIN(enqueued_at_ms)
            FROM evaluation_queue WHERE done_at_ms IS NULL
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), reader.IsDBNull(1) ? null : PostgresTime.FromUnixMs(reader.GetInt64(1)));
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // An identity whose item is still queued stays, however old (a redelivery must still be refused); the queue is
        // read once, hashed (it has no key on the identity, and pruning runs hourly on a queue of pending items only).
        // A row of readings holds one identity per reading (kind 'reading'), in its arrays. An identity whose device
        // time is at or after the cut stays too, and the horizon is raised to the cut in the same statement, so
        // evaluation_seen holds every identity from the horizon on (PostgresReadingAdmission relies on it).
        command.CommandText = """
            WITH pending AS (
                SELECT q.item_kind, q.device_id, q.name, q.device_time_ms FROM evaluation_queue q WHERE q.item_kind <> @rowKind
                UNION ALL
                SELECT @readingKind, r.device_id, r.name, r.device_time_ms
                FROM evaluation_queue q CROSS JOIN LATERAL unnest(q.reading_devices, q.reading_names, q.reading_times) AS r(device_id, name, device_time_ms)
                WHERE q.item_kind = @rowKind
            ),
            pruned AS (
                DELETE FROM evaluation_seen s
                WHERE s.seen_at_ms < @before AND s.device_time_ms < @before
                  AND NOT EXISTS (SELECT 1 FROM pending p
                                  WHERE p.item_kind = s.item_kind AND p.device_id = s.device_id AND p.name = s.name
                                    AND p.device_time_ms = s.device_time_ms)
                RETURNING 1
            ),
            horizon AS (
                UPDATE evaluation_seen_horizon SET kept_from_ms = GREATEST(kept_from_ms, @before)
            )
            SELECT COUNT(*) FROM pruned
            """;
        command.Parameters.AddWithValue("@before", PostgresTime.ToUnixMs(before));
        command.Parameters.AddWithValue("@rowKind", ReadingsKind);
        command.Parameters.AddWithValue("@readingKind", ReadingKind);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// One item's enqueue: its identity into <c>evaluation_seen</c>, and the item into the queue only if that insert took
    /// it (one statement, so also atomic without a transaction of the caller's).
    /// </summary>
    private static NpgsqlCommand CreateInsert(NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            WITH seen AS (
                INSERT INTO evaluation_seen (item_kind, device_id, name, device_time_ms, seen_at_ms)
                VALUES (@kind, @device, @name, @time, @now)
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            INSERT INTO evaluation_queue
                (patient_id, item_kind, device_id, name, value, device_time_ms, received_at_ms, enqueued_at_ms, due_at_ms, interval_ms)
            SELECT @patient, @kind, @device, @name, @value, @time, @received, @now, @now, @interval FROM seen
            """;
        insert.Parameters.Add("@patient", NpgsqlDbType.Text);
        insert.Parameters.Add("@kind", NpgsqlDbType.Text);
        insert.Parameters.Add("@device", NpgsqlDbType.Text);
        insert.Parameters.Add("@name", NpgsqlDbType.Text);
        insert.Parameters.Add("@value", NpgsqlDbType.Double);
        insert.Parameters.Add("@time", NpgsqlDbType.Bigint);
        insert.Parameters.Add("@received", NpgsqlDbType.Bigint);
        insert.Parameters.Add("@now", NpgsqlDbType.Bigint);
        insert.Parameters.Add("@interval", NpgsqlDbType.Bigint).Value = DBNull.Value;
        return insert;
    }

    private static void Bind(NpgsqlCommand insert, string patientId, string kind, string deviceId, string name, double? value,
        DateTimeOffset deviceTime, DateTimeOffset receivedAt, DateTimeOffset now, TimeSpan? interval = null)
    {
        insert.Parameters["@patient"].Value = patientId;
        insert.Parameters["@kind"].Value = kind;
        insert.Parameters["@device"].Value = deviceId;
        insert.Parameters["@name"].Value = name;
        insert.Parameters["@value"].Value = value is { } v ? v : DBNull.Value;
        insert.Parameters["@time"].Value = PostgresTime.ToUnixMs(deviceTime);
        insert.Parameters["@received"].Value = PostgresTime.ToUnixMs(receivedAt);
        insert.Parameters["@now"].Value = PostgresTime.ToUnixMs(now);
        insert.Parameters["@interval"].Value = interval is { } i ? (long)i.TotalMilliseconds : DBNull.Value;
    }
}
