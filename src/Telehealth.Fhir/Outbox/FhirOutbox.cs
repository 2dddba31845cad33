using System.Text.Json;
using System.Text.Json.Serialization;
using Telehealth.Contracts.Outbox;

namespace Telehealth.Fhir.Outbox;

/// <summary>
/// The FHIR outbox on the platform's one outbox (<see cref="IOutboxStore"/>, kind <c>fhir</c>): this class only maps a
/// resource write to a message (subject = patient, key = business identifier, header = what staff may see) and back.
/// </summary>
public sealed class FhirOutbox(IOutboxStore store) : IFhirOutbox
{
    public const string Kind = "fhir";

    /// <summary>Stored error text is capped: an OperationOutcome is small, an HTML error page need not be kept whole.</summary>
    private const int MaxErrorLength = 8000;

    private static readonly JsonSerializerOptions HeaderJson = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _newEntries = new(0, 1);

    public async Task<int> EnqueueAsync(IReadOnlyList<FhirOutboxItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var appended = await store.EnqueueAsync(Kind, [.. items.Select(ToMessage)], OutboxDedupe.UnlessNewestIsSame, cancellationToken);
        if (appended > 0)
        {
            Signal();
        }
        return appended;
    }

    public async Task<IReadOnlyList<PendingFhirWrite>> GetPendingAsync(int limit, IReadOnlyCollection<string> excludedPatients, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(excludedPatients);
        var rows = await store.PendingAsync(Kind, limit, excludedPatients, cancellationToken);
        return [.. rows.Select(row => new PendingFhirWrite(ToEntry(row), row.Payload))];
    }

    public Task MarkSentAsync(long seq, int statusCode, int attempts, DateTimeOffset sentAt, CancellationToken cancellationToken = default) =>
        store.RecordPassAsync(seq, OutboxStatus.Sent, attempts, statusCode, null, null, sentAt, cancellationToken);

    public Task MarkFailedAsync(long seq, int statusCode, string error, int attempts, CancellationToken cancellationToken = default) =>
        store.RecordPassAsync(seq, OutboxStatus.Failed, attempts, statusCode, Cap(error), null, null, cancellationToken);

    public Task RecordTransientFailureAsync(long seq, int? statusCode, string error, int attempts, CancellationToken cancellationToken = default) =>
        store.RecordPassAsync(seq, OutboxStatus.Pending, attempts, statusCode, Cap(error), null, null, cancellationToken);

    public Task RecordAsync(IReadOnlyList<FhirPushRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return store.RecordPassesAsync([.. records.Select(record => record.Status switch
        {
            FhirOutboxStatus.Sent => new OutboxPass(record.Seq, OutboxStatus.Sent, record.Attempts, record.StatusCode, null, null, record.SentAt),
            FhirOutboxStatus.Failed => new OutboxPass(record.Seq, OutboxStatus.Failed, record.Attempts, record.StatusCode, Cap(record.Error ?? ""), null, null),
            _ => new OutboxPass(record.Seq, OutboxStatus.Pending, record.Attempts, record.StatusCode, Cap(record.Error ?? ""), null, null),
        })], cancellationToken);
    }

    public Task<bool> ContainsAsync(string identifierSystem, string identifierValue, CancellationToken cancellationToken = default) =>
        store.ContainsAsync(Kind, Key(identifierSystem, identifierValue), cancellationToken);

    public async Task<FhirOutboxCounts> CountAsync(IReadOnlyCollection<string>? patientIds = null, CancellationToken cancellationToken = default)
    {
        var counts = await store.CountAsync(Kind, patientIds, cancellationToken);
        return new FhirOutboxCounts(counts.Pending, counts.Sent, counts.Failed);
    }

    public async Task<IReadOnlyList<FhirOutboxEntry>> ListAsync(FhirOutboxStatus? status, int limit, IReadOnlyCollection<string>? patientIds = null, CancellationToken cancellationToken = default)
    {
        // Pending oldest first (the head of the queue), anything else newest first.
        var rows = await store.ListAsync(Kind, status is { } s ? ToStatus(s) : null, limit, patientIds, newestFirst: status != FhirOutboxStatus.Pending, cancellationToken);
        return [.. rows.Select(ToEntry)];
    }

    public async Task WaitForNewEntriesAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _newEntries.WaitAsync(timeout, cancellationToken);

    private void Signal()
    {
        // At most one pending signal: the worker reads everything pending when it wakes.
        try
        {
            if (_newEntries.CurrentCount == 0)
            {
                _newEntries.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another writer signalled at the same moment; one wake-up is enough.
        }
    }

    private static OutboxMessage ToMessage(FhirOutboxItem item) => new(
        item.PatientId,
        Key(item.IdentifierSystem, item.IdentifierValue),
        null,
        // The identifier is the key already: the header names the resource only (about 130 bytes less per row).
        JsonSerializer.Serialize(new Header(item.ResourceType, item.ResourceId), HeaderJson),
        item.Json);

    private static FhirOutboxEntry ToEntry(OutboxRow row)
    {
        var header = JsonSerializer.Deserialize<Header>(row.Header, HeaderJson)
            ?? throw new InvalidDataException($"FHIR outbox entry {row.Seq} has no header.");
        var (identifierSystem, identifierValue) = Identifier(row, header);
        return new FhirOutboxEntry(row.Seq, row.Subject, header.ResourceType, header.ResourceId, identifierSystem, identifierValue,
            ToFhirStatus(row.Status), row.Attempts, row.LastStatusCode, row.LastError, row.CreatedAt, row.Status == OutboxStatus.Sent ? row.CompletedAt : null);
    }

    /// <summary>The identifier from the key; rows queued before the header was narrowed also carry it in the header.</summary>
    private static (string System, string Value) Identifier(OutboxRow row, Header header)
    {
        if (header is { IdentifierSystem: { } system, IdentifierValue: { } value })
        {
            return (system, value);
        }
        var separator = row.Key.IndexOf('\u001f');
        return separator >= 0
            ? (row.Key[..separator], row.Key[(separator + 1)..])
            : throw new InvalidDataException($"FHIR outbox entry {row.Seq} has no identifier in its key.");
    }

    // The business identifier of the conditional update; char 31 (unit separator) cannot occur in either part.
    private static string Key(string identifierSystem, string identifierValue) => identifierSystem + '\u001f' + identifierValue;

    private static string Cap(string error) => error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;

    private static OutboxStatus ToStatus(FhirOutboxStatus status) => status switch
    {
        FhirOutboxStatus.Pending => OutboxStatus.Pending,
        FhirOutboxStatus.Sent => OutboxStatus.Sent,
        FhirOutboxStatus.Failed => OutboxStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static FhirOutboxStatus ToFhirStatus(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => FhirOutboxStatus.Pending,
        OutboxStatus.Sent => FhirOutboxStatus.Sent,
        OutboxStatus.Failed => FhirOutboxStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <param name="IdentifierSystem">With <paramref name="IdentifierValue"/>: only in rows queued before the header was narrowed (read, never written).</param>
    private sealed record Header(
        string ResourceType,
        string ResourceId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdentifierSystem = null,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdentifierValue = null);
}
