using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// Writes line protocol to InfluxDB 1.x (<c>POST /write?db=&amp;rp=&amp;precision=ms</c>) or 2.x
/// (<c>POST /api/v2/write?org=&amp;bucket=&amp;precision=ms</c>, <c>Authorization: Token</c>), as
/// <see cref="InfluxOptions.ApiVersion"/> says. What each answer means and what is done about it:
/// <list type="bullet">
/// <item>204: stored.</item>
/// <item>400 "partial write" (1.x: some lines bad, the good ones WERE stored) or 422 (2.x): reported as
/// <see cref="InfluxRejectedLines"/> with SomeMayBeStored, never resent as a whole.</item>
/// <item>413 (request too large): the lines are split in halves and each half written; a single line still too large is
/// reported rejected.</item>
/// <item>429 and 503: waited out as Retry-After says (capped by <see cref="InfluxOptions.MaxRetryDelay"/>) and tried
/// again, up to <see cref="InfluxOptions.MaxAttempts"/>; then <see cref="InfluxException"/>.</item>
/// <item>Anything else (404 database not found, 401, 500), a timeout (<see cref="InfluxOptions.RequestTimeout"/>) or an
/// unreachable server: <see cref="InfluxException"/>; the caller does not know whether the lines landed.</item>
/// </list>
/// </summary>
public sealed partial class InfluxWriteClient
{
    private readonly HttpClient _httpClient;
    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _writeUri;

    public InfluxWriteClient(HttpClient httpClient, InfluxOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _httpClient = httpClient;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _writeUri = WriteUri(options);
    }

    /// <summary>The write address for these options (1.x or 2.x form).</summary>
    public static Uri WriteUri(InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var query = options.ApiVersion == InfluxApiVersion.V2
            ? $"api/v2/write?org={Uri.EscapeDataString(options.Org ?? "")}&bucket={Uri.EscapeDataString(options.Bucket ?? "")}&precision=ms"
            : $"write?db={Uri.EscapeDataString(options.Database)}"
              + (options.RawRetentionPolicy is { } rp ? $"&rp={Uri.EscapeDataString(rp)}" : "")
              + "&precision=ms";
        return InfluxHttp.Endpoint(options, query);
    }

    /// <summary>Writes newline-separated lines whose timestamps are Unix milliseconds; throws on any refusal.</summary>
    public async Task WriteAsync(string lineProtocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lineProtocol);
        var answer = await SendWithRetriesAsync(Encoding.UTF8.GetBytes(lineProtocol), cancellationToken);
        if (answer is not null)
        {
            throw answer;
        }
    }

    /// <summary>
    /// Writes the lines, splitting on 413, and returns the parts InfluxDB did not take whole (empty when all were
    /// stored). Throws <see cref="InfluxException"/> when nothing can be said about what landed.
    /// </summary>
    public async Task<IReadOnlyList<InfluxRejectedLines>> WriteLinesAsync(IReadOnlyList<string> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rejected = new List<InfluxRejectedLines>();
        if (lines.Count > 0)
        {
            await WriteRangeAsync(lines, 0, lines.Count, rejected, cancellationToken);
        }
        return rejected;
    }

    private async Task WriteRangeAsync(IReadOnlyList<string> lines, int start, int count, List<InfluxRejectedLines> rejected, CancellationToken cancellationToken)
    {
        // The body is encoded straight into a pooled buffer: a batch of a few thousand lines is about half a megabyte,
        // and built as a string and then as bytes it made two large-object-heap allocations per batch (each one
        // counts towards a full, gen2, collection).
        var length = 0;
        for (var i = start; i < start + count; i++)
        {
            length += Encoding.UTF8.GetByteCount(lines[i]) + 1;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        InfluxException? refusal;
        try
        {
            var written = 0;
            for (var i = start; i < start + count; i++)
            {
                written += Encoding.UTF8.GetBytes(lines[i], buffer.AsSpan(written));
                buffer[written++] = (byte)'\n';
            }
            refusal = await SendWithRetriesAsync(buffer.AsMemory(0, written), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (refusal is null)
        {
            return;
        }
        if (refusal.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            if (count == 1)
            {
                rejected.Add(new InfluxRejectedLines(start, 1, "InfluxDB refused the point as too large (HTTP 413)", SomeMayBeStored: false));
                return;
            }
            // Too large for the server's max-body-size: halve until it fits (each half is a new, smaller request).
            LogSplitting(_logger, count, _options.Database);
            var half = count / 2;
            await WriteRangeAsync(lines, start, half, rejected, cancellationToken);
            await WriteRangeAsync(lines, start + half, count - half, rejected, cancellationToken);
            return;
        }
        if (refusal.IsPartialWrite || refusal.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            rejected.Add(new InfluxRejectedLines(start, count, WithoutData(refusal.ServerMessage), SomeMayBeStored: true));
            return;
        }
        throw refusal;
    }

    /// <summary>One write, retried on 429/503. Returns null when stored, or the refusal (400, 404, 413, ...) to act on.</summary>
    private async Task<InfluxException?> SendWithRetriesAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri) { Content = content };
            InfluxHttp.Authenticate(request, _options);
            using var response = await InfluxHttp.SendAsync(_httpClient, request, "write", _options.RequestTimeout, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }
            var refusal = await InfluxHttp.ToExceptionAsync(response, "write", cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt >= _options.MaxAttempts)
            {
                return refusal;
            }
            var delay = RetryDelay(response, attempt, _time.GetUtcNow(), _options.MaxRetryDelay);
            LogBackingOff(_logger, (int)response.StatusCode, delay.TotalMilliseconds, attempt, _options.Database);
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>
    /// InfluxDB quotes the offending line in some messages ("unable to parse '...'"): ids and values stay out of
    /// reasons that are kept and shown, so quoted text is replaced by "(line)".
    /// </summary>
    public static string WithoutData(string serverMessage)
    {
        ArgumentNullException.ThrowIfNull(serverMessage);
        return System.Text.RegularExpressions.Regex.Replace(serverMessage, "'[^']*'", "(line)", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
    }

    /// <summary>
    /// How long to wait before the next attempt: Retry-After as seconds or as an HTTP date, else 1 s doubling per
    /// attempt; never more than <paramref name="max"/>, never negative.
    /// </summary>
    public static TimeSpan RetryDelay(HttpResponseMessage response, int attempt, DateTimeOffset now, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(response);
        TimeSpan delay;
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            delay = delta;
        }
        else if (response.Headers.RetryAfter?.Date is { } date)
        {
            delay = date - now;
        }
        else
        {
            delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(attempt - 1, 16)));
        }
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB answered 413 to {Count} lines for {Database}; writing them in halves")]
    private static partial void LogSplitting(ILogger logger, int count, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB answered {Status} for {Database}; attempt {Attempt} waits {DelayMs} ms")]
    private static partial void LogBackingOff(ILogger logger, int status, double delayMs, int attempt, string database);

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
