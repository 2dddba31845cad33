using System.Net;

namespace Telehealth.Simulation.Provisioning;

/// <summary>The platform API refused or failed a provisioning call. The message names the call, never the person.</summary>
public sealed class ProvisioningException(string message, HttpStatusCode? statusCode = null) : Exception(message)
{
    public HttpStatusCode? StatusCode { get; } = statusCode;
}
