using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace Telehealth.Fhir.Server;

/// <summary>Writes a FHIR resource as <c>application/fhir+json</c> with a status code.</summary>
public sealed class FhirResourceResult(Resource resource, int statusCode = StatusCodes.Status200OK) : IResult
{
    public Resource Resource { get; } = resource;

    public int StatusCode { get; } = statusCode;

    public async System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
    {
        var pretty = string.Equals(httpContext.Request.Query["_pretty"], "true", StringComparison.OrdinalIgnoreCase);
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = FhirMediaTypes.ResponseContentType;
        await httpContext.Response.WriteAsync(FhirJson.Serialize(Resource, pretty), httpContext.RequestAborted);
    }
}
