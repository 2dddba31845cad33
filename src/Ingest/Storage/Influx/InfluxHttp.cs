using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>What the query and write clients share: addresses, authentication and turning error responses into <see cref="InfluxException"/>.</summary>
internal static class InfluxHttp
{
    public static Uri Endpoint(InfluxOptions options, string pathAndQuery)
    {
        var baseUrl = options.Url.ToString();
        return new Uri(baseUrl.EndsWith('/') ? baseUrl + pathAndQuery : baseUrl + "/" + pathAndQuery);
    }

    public static void Authenticate(HttpRequestMessage request, InfluxOptions options)
    {
        if (options.ApiVersion == InfluxApiVersion.V2)
        {
            // 2.x: an API token; its 1.x-compatible /query accepts the same header.
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    /// <summary>
    /// Sends the request and reads the whole answer within <paramref name="timeout"/>; transport failures and timeouts
    /// become <see cref="InfluxException"/> too, so callers handle one type.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient httpClient, HttpRequestMessage request, string operation, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            return response;
        }
        catch (HttpRequestException exception)
        {
            throw new InfluxException(operation, null, $"could not reach {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {exception.Message}", exception);
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Our deadline, or HttpClient.Timeout: the server may or may not have acted on the request.
            throw new InfluxException(operation, null, $"no answer within {InfluxWriteClient.Seconds(timeout)} s (RequestTimeout); the outcome is unknown", exception)
            {
                TimedOut = true,
            };
        }
    }

    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ToExceptionAsync(response, operation, cancellationToken);
        }
    }

    public static async Task<InfluxException> ToExceptionAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new InfluxException(operation, response.StatusCode, ServerMessage(response, body));
    }

    /// <summary>InfluxDB puts its message in the JSON body's "error" and in the X-Influxdb-Error header.</summary>
    private static string ServerMessage(HttpResponseMessage response, string body)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString()!;
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's error page, say): fall through to the header or the raw text.
            }
        }
        if (response.Headers.TryGetValues("X-Influxdb-Error", out var values))
        {
            var header = string.Join("; ", values);
            if (header.Length > 0)
            {
                return header;
            }
        }
        if (!string.IsNullOrWhiteSpace(body))
        {
            return body.Length <= 2_000 ? body.Trim() : body[..2_000];
        }
        return response.ReasonPhrase ?? "no error text";
    }
}
