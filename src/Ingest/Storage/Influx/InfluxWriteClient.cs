using System.Text;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>POST /write?db=..&amp;precision=ms. Any non-2xx answer (400 partial write, 404 unknown database...) throws <see cref="InfluxException"/>.</summary>
public sealed class InfluxWriteClient
{
    private readonly HttpClient _httpClient;
    private readonly InfluxOptions _options;

    public InfluxWriteClient(HttpClient httpClient, InfluxOptions options)
    {
        _httpClient = httpClient;
        _options = options;
    }

    /// <param name="lineProtocol">Newline-separated lines whose timestamps are Unix milliseconds.</param>
    public async Task WriteAsync(string lineProtocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lineProtocol);
        var uri = InfluxHttp.Endpoint(_options, $"write?db={Uri.EscapeDataString(_options.Database)}&precision=ms");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(lineProtocol, Encoding.UTF8, "text/plain"),
        };
        InfluxHttp.Authenticate(request, _options);
        using var response = await InfluxHttp.SendAsync(_httpClient, request, "write", cancellationToken);
        await InfluxHttp.ThrowIfFailedAsync(response, "write", cancellationToken);
    }
}
