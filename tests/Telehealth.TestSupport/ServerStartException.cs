namespace Telehealth.TestSupport;

/// <summary>A test server (influxd, mosquitto) did not start; the message carries the tail of its output.</summary>
public sealed class ServerStartException : Exception
{
    public ServerStartException(string server, string problem, string outputTail)
        : base($"{server} {problem}. Last output:{Environment.NewLine}{outputTail}")
    {
        OutputTail = outputTail;
    }

    public string OutputTail { get; }
}
