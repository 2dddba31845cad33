using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Telehealth.Fhir.Server;

/// <summary>
/// The endpoint speaks FHIR JSON only. <c>_format</c> (json, application/json, application/fhir+json) overrides the
/// Accept header, as FHIR asks; anything that rules JSON out is answered 406, a request body that is not JSON 415.
/// </summary>
public static class FhirMediaTypes
{
    public const string FhirJson = "application/fhir+json";
    public const string ResponseContentType = FhirJson + "; charset=utf-8";

    private static readonly string[] JsonFormats = ["json", "application/json", FhirJson, "application/json+fhir"];

    /// <summary>Null when a JSON response is acceptable; otherwise why not.</summary>
    public static string? WhyNotAcceptable(HttpRequest request)
    {
        var format = request.Query["_format"].ToString();
        if (!string.IsNullOrEmpty(format))
        {
            var mediaType = format.Split(';')[0].Trim();
            return JsonFormats.Contains(mediaType, StringComparer.OrdinalIgnoreCase)
                ? null
                : $"_format '{format}' is not supported: this server returns JSON only (_format=json or application/fhir+json).";
        }
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return null;
        }
        var acceptsJson = accept.Any(value => value.Quality is not 0 && IsJsonCompatible(value));
        return acceptsJson ? null : $"Accept '{request.Headers.Accept}' rules out JSON: this server returns application/fhir+json only.";
    }

    /// <summary>Whether a request body's media type is FHIR JSON (or plain JSON).</summary>
    public static bool IsJsonBody(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && JsonFormats.Skip(1).Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase);

    private static bool IsJsonCompatible(MediaTypeHeaderValue value)
    {
        var mediaType = value.MediaType.Value ?? string.Empty;
        return mediaType is "*/*" or "application/*"
            || JsonFormats.Skip(1).Contains(mediaType, StringComparer.OrdinalIgnoreCase);
    }
}
