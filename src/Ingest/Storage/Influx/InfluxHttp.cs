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
        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    /// <summary>Sends the request; transport failures become <see cref="InfluxException"/> too, so callers handle one type.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient httpClient, HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await httpClient.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new InfluxException(operation, null, $"could not reach {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {exception.Message}", exception);
        }
    }

    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new InfluxException(operation, response.StatusCode, ServerMessage(response, body));
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
