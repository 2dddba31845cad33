using System.Net;

namespace Telehealth.Ingest.Storage.Influx;

/// <summary>
/// InfluxDB refused a write or a query. <see cref="ServerMessage"/> is the server's own error text
/// (e.g. "partial write: field type conflict ..." or "database not found: x"). A partial write (HTTP 400) means
/// the good lines of the batch WERE stored, so the caller must retry the whole batch, never assume nothing landed.
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

    private static string FormatMessage(string operation, HttpStatusCode? statusCode, string serverMessage) =>
        statusCode is { } status
            ? $"InfluxDB {operation} failed with HTTP {(int)status}: {serverMessage}"
            : $"InfluxDB {operation} failed: {serverMessage}";
}
