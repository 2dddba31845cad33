using System.Security.Claims;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Telehealth.Fhir.Server.Resources;
using Telehealth.Fhir.Server.Search;
using Telehealth.CareRecord.Caseload;

namespace Telehealth.Fhir.Server;

/// <summary>
/// The /fhir R4 REST endpoint: metadata (anonymous), and read and search-type for every served type (staff token,
/// team-scoped). Every error is an OperationOutcome; an unexpected failure is a 500 whose diagnostics carry only a
/// trace id, never patient data.
/// </summary>
public static class FhirServerEndpoints
{
    public const string BasePath = "/fhir";

    /// <param name="teamOf">The caller's team from their token (the host owns the claim names).</param>
    public static IEndpointRouteBuilder MapFhirServer(this IEndpointRouteBuilder app, Func<ClaimsPrincipal, string> teamOf)
    {
        ArgumentNullException.ThrowIfNull(teamOf);
        var group = app.MapGroup(BasePath).WithTags("FHIR").ExcludeFromDescription();

        group.MapGet("/metadata", (HttpContext context, IEnumerable<IFhirResourceSource> sources, FhirServerClock clock) =>
            Guard(context, "capabilities", "metadata", () =>
            {
                RequireJsonAcceptable(context.Request);
                return System.Threading.Tasks.Task.FromResult<IResult>(
                    new FhirResourceResult(CapabilityStatements.Build(BaseUrl(context.Request), sources, clock.StartedAt)));
            })).AllowAnonymous();

        group.MapGet("/{type}", (string type, HttpContext context, ClaimsPrincipal user, IEnumerable<IFhirResourceSource> sources, IPatientRepository patients, TimeProvider time) =>
            Guard(context, "search-type", type, async () =>
            {
                RequireJsonAcceptable(context.Request);
                var source = SourceFor(type, sources);
                var lenient = SearchRequestParser.IsLenient(context.Request.Headers["Prefer"]);
                var request = SearchRequestParser.Parse(
                    context.Request.Query.Select(q => new KeyValuePair<string, string?[]>(q.Key, q.Value.ToArray())), source.SearchParameters, lenient);
                if (request.SortGiven && !source.SupportsDateSort)
                {
                    throw FhirServerException.NotSupported(400, $"{type} results have a fixed order; _sort is not supported for {type}.");
                }
                var caller = new FhirCaller(teamOf(user), patients);
                var page = await source.SearchAsync(request, caller, context.RequestAborted);
                return new FhirResourceResult(SearchBundles.Build(BaseUrl(context.Request), type, request, page, time.GetUtcNow()));
            })).RequireAuthorization();

        group.MapGet("/{type}/{id}", (string type, string id, HttpContext context, ClaimsPrincipal user, IEnumerable<IFhirResourceSource> sources, IPatientRepository patients) =>
            Guard(context, "read", type, async () =>
            {
                RequireJsonAcceptable(context.Request);
                var source = SourceFor(type, sources);
                var resource = await source.ReadAsync(id, new FhirCaller(teamOf(user), patients), context.RequestAborted)
                    ?? throw FhirServerException.NotFound($"{type}/{id} is not known.");
                return new FhirResourceResult(resource);
            })).RequireAuthorization();

        // Anything else under /fhir (history, operations, writes) is answered as unsupported, in FHIR terms. A fallback
        // (lowest precedence, any method) rather than catch-all routes, which would compete with the routes above.
        group.MapFallback("{**rest}", (Delegate)((HttpContext context) =>
            Guard(context, "other", "-", () =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                {
                    throw FhirServerException.NotSupported(404, $"GET {context.Request.Path} is not supported: this server offers metadata, read and search-type only.");
                }
                if (context.Request.ContentType is not null && !FhirMediaTypes.IsJsonBody(context.Request.ContentType))
                {
                    throw FhirServerException.NotSupported(StatusCodes.Status415UnsupportedMediaType,
                        $"Content-Type '{context.Request.ContentType}' is not supported: send application/fhir+json.");
                }
                throw FhirServerException.NotSupported(StatusCodes.Status405MethodNotAllowed,
                    $"{context.Request.Method} is not supported: this endpoint is read-only (read and search).");
            }))).RequireAuthorization();

        return app;
    }

    private static async Task<IResult> Guard(HttpContext context, string interaction, string resourceType, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (FhirServerException problem)
        {
            return OperationOutcomes.Result(problem);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FhirServerEndpoints).FullName!);
            FhirServerLog.RequestFailed(logger, exception, interaction, resourceType, context.TraceIdentifier);
            return OperationOutcomes.Result(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
                $"The server could not complete the request; quote trace id {context.TraceIdentifier} when reporting it.");
        }
    }

    private static void RequireJsonAcceptable(HttpRequest request)
    {
        if (FhirMediaTypes.WhyNotAcceptable(request) is { } reason)
        {
            throw FhirServerException.NotSupported(StatusCodes.Status406NotAcceptable, reason);
        }
    }

    private static IFhirResourceSource SourceFor(string type, IEnumerable<IFhirResourceSource> sources)
    {
        var all = sources.ToList();
        return all.FirstOrDefault(s => string.Equals(s.ResourceType.ToString(), type, StringComparison.Ordinal))
            ?? throw FhirServerException.NotSupported(404,
                $"Resource type '{type}' is not served here. Served: {string.Join(", ", all.Select(s => s.ResourceType.ToString()).Order(StringComparer.Ordinal))}.");
    }

    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{BasePath}";
}
