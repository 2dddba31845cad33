using System.Net;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// InfluxDB refused a write or a query. <see cref="ServerMessage"/> is the server's own error text
/// (e.g. "partial write: field type conflict ..." or "database not found: x"). A partial write (HTTP 400) means
/// the good lines of the batch WERE stored: ask the server which, never resend the batch blindly.
/// </summary>
public sealed class InfluxException : Exception
{
    public InfluxException(string operation, HttpStatusCode? statusCode, string serverMessage, Exception? innerException = null)
        : base(FormatMessage(operation, statusCode, serverMessage), innerException)
    {
        Operation = operation;
        StatusCode = statusCode;
        ServerMessage = serverMessage;
    }

    /// <summary>"write", "query" or "ping".</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, or null when the error came inside a 200 query response (results[].error).</summary>
    public HttpStatusCode? StatusCode { get; }

    public string ServerMessage { get; }

    /// <summary>True when HTTP 400 reported "partial write": some lines of the batch were stored.</summary>
    public bool IsPartialWrite => ServerMessage.Contains("partial write", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when no answer came within the request timeout: the request may or may not have taken effect.</summary>
    public bool TimedOut { get; init; }

    /// <summary>InfluxDB 1.x ends a partial-write message with "dropped=N": the number of points it refused.</summary>
    public int? DroppedCount
    {
        get
        {
            var at = ServerMessage.LastIndexOf("dropped=", StringComparison.Ordinal);
            if (at < 0)
            {
                return null;
            }
            var digits = new string(ServerMessage.AsSpan(at + "dropped=".Length).ToArray().TakeWhile(char.IsAsciiDigit).ToArray());
            return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var dropped) ? dropped : null;
        }
    }

    private static string FormatMessage(string operation, HttpStatusCode? statusCode, string serverMessage) =>
        statusCode is { } status
            ? $"InfluxDB {operation} failed with HTTP {(int)status}: {serverMessage}"
            : $"InfluxDB {operation} failed: {serverMessage}";
}
