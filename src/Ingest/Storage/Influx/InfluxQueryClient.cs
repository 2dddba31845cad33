using System.Net.Http.Headers;
using System.Text.Json;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// InfluxQL over the 1.x /query endpoint, times as Unix milliseconds (epoch=ms). InfluxDB reports a failed
/// statement inside an HTTP 200 (results[].error); both that and HTTP errors throw <see cref="InfluxException"/>
/// with the server's message.
/// </summary>
public sealed class InfluxQueryClient
{
    // Longer queries go in a POST body: the dedupe query of a large batch would not fit a URL.
    private const int MaxGetQueryLength = 2_000;

    private readonly HttpClient _httpClient;
    private readonly InfluxOptions _options;

    public InfluxQueryClient(HttpClient httpClient, InfluxOptions options)
    {
        _httpClient = httpClient;
        _options = options;
    }

    /// <summary>Runs read-only statements (SELECT, SHOW) against the configured database.</summary>
    public Task<IReadOnlyList<InfluxStatementResult>> QueryAsync(string influxQl, CancellationToken cancellationToken = default) =>
        SendAsync(influxQl, forcePost: false, cancellationToken);

    /// <summary>Runs statements that change the server (CREATE/DROP DATABASE, DELETE...); InfluxDB requires POST for those.</summary>
    public Task<IReadOnlyList<InfluxStatementResult>> ExecuteAsync(string influxQl, CancellationToken cancellationToken = default) =>
        SendAsync(influxQl, forcePost: true, cancellationToken);

    /// <summary>Quotes an InfluxQL string literal: 'it\'s'.</summary>
    public static string QuoteString(string value) =>
        "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Quotes an InfluxQL identifier: "name".</summary>
    public static string QuoteIdentifier(string name) =>
        "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private async Task<IReadOnlyList<InfluxStatementResult>> SendAsync(string influxQl, bool forcePost, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(influxQl);
        var parameters = new Dictionary<string, string>
        {
            ["db"] = _options.Database,
            ["epoch"] = "ms",
            ["q"] = influxQl,
        };
        using var request = forcePost || influxQl.Length > MaxGetQueryLength
            ? new HttpRequestMessage(HttpMethod.Post, InfluxHttp.Endpoint(_options, "query")) { Content = new FormUrlEncodedContent(parameters) }
            : new HttpRequestMessage(HttpMethod.Get, InfluxHttp.Endpoint(_options, "query?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"))));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        InfluxHttp.Authenticate(request, _options);

        using var response = await InfluxHttp.SendAsync(_httpClient, request, "query", _options.RequestTimeout, cancellationToken);
        await InfluxHttp.ThrowIfFailedAsync(response, "query", cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return Parse(document.RootElement);
    }

    /// <summary>Parses a /query response body. Public so the format handling can be tested without a server.</summary>
    public static IReadOnlyList<InfluxStatementResult> Parse(JsonElement root)
    {
        if (root.TryGetProperty("error", out var topError))
        {
            throw new InfluxException("query", null, topError.GetString() ?? "unknown error");
        }
        var results = new List<InfluxStatementResult>();
        if (!root.TryGetProperty("results", out var resultsElement))
        {
            return results;
        }
        foreach (var result in resultsElement.EnumerateArray())
        {
            var statementId = result.TryGetProperty("statement_id", out var id) ? id.GetInt32() : results.Count;
            if (result.TryGetProperty("error", out var error))
            {
                throw new InfluxException("query", null, error.GetString() ?? "unknown error");
            }
            var series = new List<InfluxSeries>();
            if (result.TryGetProperty("series", out var seriesElement))
            {
                foreach (var item in seriesElement.EnumerateArray())
                {
                    series.Add(ParseSeries(item));
                }
            }
            results.Add(new InfluxStatementResult(statementId, series));
        }
        return results;
    }

    private static InfluxSeries ParseSeries(JsonElement item)
    {
        var name = item.TryGetProperty("name", out var nameElement) ? nameElement.GetString() ?? "" : "";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("tags", out var tagsElement))
        {
            foreach (var tag in tagsElement.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.GetString() ?? "";
            }
        }
        var columns = new List<string>();
        if (item.TryGetProperty("columns", out var columnsElement))
        {
            foreach (var column in columnsElement.EnumerateArray())
            {
                columns.Add(column.GetString() ?? "");
            }
        }
        var rows = new List<IReadOnlyList<JsonElement>>();
        if (item.TryGetProperty("values", out var valuesElement))
        {
            foreach (var row in valuesElement.EnumerateArray())
            {
                // Clone: the elements must outlive the JsonDocument the response was parsed into.
                rows.Add(row.EnumerateArray().Select(cell => cell.Clone()).ToList());
            }
        }
        return new InfluxSeries(name, tags, columns, rows);
    }
}
