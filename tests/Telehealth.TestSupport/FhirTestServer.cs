using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Task = System.Threading.Tasks.Task;

namespace Telehealth.TestSupport;

/// <summary>
/// A minimal FHIR R4 server for tests (not the platform): a tiny Kestrel app on a free loopback port with
/// conditional update by identifier (no match → 201 create with Location, one match → 200 update, several → 412),
/// update/create by id, read, search by identifier with _count, and a CapabilityStatement. Bodies must parse as
/// FHIR R4 (Firely SDK) and match the type in the URL, else 400 with an OperationOutcome. An update with the same
/// content as the current version is a no-op (no new version), as HAPI does.
/// It keeps every stored version in arrival order (<see cref="Writes"/>), and faults can be injected into writes at
/// run time (<see cref="FailNext"/>, <see cref="FailAlways"/>).
/// </summary>
public sealed class FhirTestServer : IAsyncDisposable
{
    private const string FhirJson = "application/fhir+json";

    private static readonly FhirJsonDeserializer Deserializer = new();

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, JsonObject>> _current = new(StringComparer.Ordinal);

    // (type, identifier value) → ids of resources that carried it: a conditional update looks its match up here
    // instead of scanning every resource of the type (quadratic once the bench pushes thousands of Observations).
    // Entries may be stale (a later version dropped the identifier): candidates are checked against the current version.
    private readonly Dictionary<(string Type, string Value), HashSet<string>> _idsByIdentifierValue = [];
    private readonly List<FhirTestServerWrite> _writes = [];
    private readonly List<FhirTestFault> _alwaysFaults = [];
    private readonly List<(FhirTestFault Fault, int Remaining)> _nextFaults = [];
    private long _arrival;
    private int _writeRequests;
    private int _faultsInjected;
    private int _inFlight;
    private int _peakInFlight;
    private TaskCompletionSource? _held;

    private FhirTestServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Base of the FHIR API, ending in '/': <c>http://127.0.0.1:{port}/fhir/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Write requests (PUT/POST) received, faulted or not.</summary>
    public int WriteRequests => Volatile.Read(ref _writeRequests);

    /// <summary>Write requests answered with a fault instead of being applied.</summary>
    public int FaultsInjected => Volatile.Read(ref _faultsInjected);

    /// <summary>
    /// How long every write that is not faulted waits before it is applied and answered: a server across a network
    /// (round trip and its own work) rather than one in the same process. Zero by default.
    /// </summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>Writes (not faulted) being handled now, held ones included.</summary>
    public int InFlightWrites => Volatile.Read(ref _inFlight);

    /// <summary>The most writes handled at the same moment since the server started or <see cref="HoldWrites"/> was last called.</summary>
    public int PeakInFlightWrites => Volatile.Read(ref _peakInFlight);

    /// <summary>
    /// Every write that is not faulted waits, unanswered, until the answer is disposed: a test sees how many requests
    /// a client has in flight at once (<see cref="InFlightWrites"/>). Starts counting the peak afresh.
    /// </summary>
    public IDisposable HoldWrites()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _held?.TrySetResult();
            _held = held;
            Volatile.Write(ref _peakInFlight, Volatile.Read(ref _inFlight));
        }
        return new Release(() =>
        {
            lock (_gate)
            {
                if (_held == held)
                {
                    _held = null;
                }
            }
            held.TrySetResult();
        });
    }

    public static async Task<FhirTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FhirTestServer(app);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/fhir/");
        return server;
    }

    /// <summary>The next <paramref name="count"/> writes the fault applies to get it (queued after earlier FailNext calls).</summary>
    public void FailNext(int count, FhirTestFault fault)
    {
        lock (_gate)
        {
            _nextFaults.Add((fault, count));
        }
    }

    /// <summary>Every write the fault applies to gets it, until <see cref="ClearFaults"/>.</summary>
    public void FailAlways(FhirTestFault fault)
    {
        lock (_gate)
        {
            _alwaysFaults.Add(fault);
        }
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _alwaysFaults.Clear();
            _nextFaults.Clear();
        }
    }

    /// <summary>Every stored version, in the order the writes were applied (no-op updates add nothing).</summary>
    public IReadOnlyList<FhirTestServerWrite> Writes
    {
        get
        {
            lock (_gate)
            {
                return _writes.ToArray();
            }
        }
    }

    /// <summary>The current version of every resource of a type.</summary>
    public IReadOnlyList<JsonObject> Current(string resourceType)
    {
        lock (_gate)
        {
            return _current.TryGetValue(resourceType, out var byId) ? byId.Values.Select(r => (JsonObject)r.DeepClone()).ToArray() : [];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/fhir/metadata", () => Fhir(StatusCodes.Status200OK, CapabilityStatement()));
        app.MapGet("/fhir/{type}/{id}", (string type, string id) =>
        {
            lock (_gate)
            {
                return _current.TryGetValue(type, out var byId) && byId.TryGetValue(id, out var resource)
                    ? Fhir(StatusCodes.Status200OK, resource)
                    : Outcome(StatusCodes.Status404NotFound, "not-found", $"{type}/{id} is not known");
            }
        });
        app.MapGet("/fhir/{type}", (string type, string? identifier, int? _count) => Search(type, identifier, _count));
        app.MapPut("/fhir/{type}", (HttpContext context, string type) => WriteAsync(context, type, id: null));
        app.MapPut("/fhir/{type}/{id}", (HttpContext context, string type, string id) => WriteAsync(context, type, id));
        app.MapPost("/fhir/{type}", (HttpContext context, string type) => WriteAsync(context, type, id: null));
    }

    private async Task<IResult> WriteAsync(HttpContext context, string type, string? id)
    {
        Interlocked.Increment(ref _writeRequests);
        if (TakeFault(type) is { } fault)
        {
            Interlocked.Increment(ref _faultsInjected);
            return await ApplyFaultAsync(context, fault);
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        try
        {
            int peak;
            while (inFlight > (peak = Volatile.Read(ref _peakInFlight)) && Interlocked.CompareExchange(ref _peakInFlight, inFlight, peak) != peak)
            {
            }
            Task? held;
            lock (_gate)
            {
                held = _held?.Task;
            }
            if (held is not null)
            {
                await held.WaitAsync(context.RequestAborted);
            }
            if (ResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(ResponseDelay, context.RequestAborted);
            }
            return await ApplyWriteAsync(context, type, id);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<IResult> ApplyWriteAsync(HttpContext context, string type, string? id)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        if (!Deserializer.TryDeserializeResource(body, out var parsed, out var issues))
        {
            return Outcome(StatusCodes.Status400BadRequest, "structure", "Not valid FHIR R4 JSON: " + string.Join("; ", issues.Select(i => i.Message)));
        }
        if (parsed!.TypeName != type)
        {
            return Outcome(StatusCodes.Status400BadRequest, "invalid", $"The body is a {parsed.TypeName}, the URL says {type}");
        }
        var resource = (JsonObject)JsonNode.Parse(body)!;
        var bodyId = resource["id"]?.GetValue<string>();
        var conditional = context.Request.Query["identifier"].FirstOrDefault();
        lock (_gate)
        {
            var byId = _current.TryGetValue(type, out var existing) ? existing : _current[type] = new(StringComparer.Ordinal);
            string targetId;
            if (HttpMethods.IsPut(context.Request.Method) && id is null)
            {
                if (conditional is null)
                {
                    return Outcome(StatusCodes.Status400BadRequest, "required", "A conditional update needs search criteria (?identifier=system|value)");
                }
                var (system, value) = ParseToken(conditional);
                var matches = _idsByIdentifierValue.TryGetValue((type, value), out var candidates)
                    ? candidates.Select(candidate => byId[candidate]).Where(r => HasIdentifier(r, system, value)).ToList()
                    : [];
                if (matches.Count > 1)
                {
                    return Outcome(StatusCodes.Status412PreconditionFailed, "multiple-matches", $"{matches.Count} {type} resources match identifier {conditional}");
                }
                var matchedId = matches.Count == 1 ? matches[0]["id"]!.GetValue<string>() : null;
                if (matchedId is not null && bodyId is not null && bodyId != matchedId)
                {
                    return Outcome(StatusCodes.Status400BadRequest, "invalid", $"The body's id {bodyId} is not the id {matchedId} of the matching resource");
                }
                // No match: update-as-create, keeping a client-assigned id so references between pushed resources resolve.
                targetId = matchedId ?? bodyId ?? Guid.NewGuid().ToString("N");
            }
            else if (id is not null)
            {
                if (bodyId != id)
                {
                    return Outcome(StatusCodes.Status400BadRequest, "invalid", $"The body's id {bodyId} is not the id {id} in the URL");
                }
                targetId = id;
            }
            else
            {
                targetId = Guid.NewGuid().ToString("N");
            }
            return Store(type, targetId, resource, byId);
        }
    }

    /// <summary>Caller holds the lock.</summary>
    private IResult Store(string type, string id, JsonObject resource, Dictionary<string, JsonObject> byId)
    {
        resource["id"] = id;
        var previous = byId.GetValueOrDefault(id);
        if (previous is not null && JsonNode.DeepEquals(WithoutMeta(previous), WithoutMeta(resource)))
        {
            return Fhir(StatusCodes.Status200OK, previous);
        }
        var version = previous is null ? 1 : int.Parse(previous["meta"]!["versionId"]!.GetValue<string>(), CultureInfo.InvariantCulture) + 1;
        resource["meta"] = new JsonObject
        {
            ["versionId"] = version.ToString(CultureInfo.InvariantCulture),
            ["lastUpdated"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
        };
        byId[id] = resource;
        foreach (var identifierValue in (resource["identifier"] as JsonArray ?? []).Select(i => i?["value"]?.GetValue<string>()).OfType<string>())
        {
            if (!_idsByIdentifierValue.TryGetValue((type, identifierValue), out var ids))
            {
                _idsByIdentifierValue[(type, identifierValue)] = ids = new HashSet<string>(StringComparer.Ordinal);
            }
            ids.Add(id);
        }
        _writes.Add(new FhirTestServerWrite(++_arrival, type, id, version, PatientOf(type, id, resource), (JsonObject)resource.DeepClone()));
        var result = Fhir(previous is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, resource);
        return previous is null ? new WithHeaders(result, ("Location", new Uri(BaseAddress, $"{type}/{id}/_history/{version}").ToString()), ("ETag", $"W/\"{version}\"")) : new WithHeaders(result, ("ETag", $"W/\"{version}\""));
    }

    private IResult Search(string type, string? identifier, int? count)
    {
        List<JsonObject> found;
        lock (_gate)
        {
            var all = _current.TryGetValue(type, out var byId) ? byId.Values : (IEnumerable<JsonObject>)[];
            if (identifier is not null)
            {
                var (system, value) = ParseToken(identifier);
                all = all.Where(r => HasIdentifier(r, system, value));
            }
            found = all.Select(r => (JsonObject)r.DeepClone()).ToList();
        }
        var entries = new JsonArray();
        foreach (var resource in found.Take(Math.Max(0, count ?? 100)))
        {
            entries.Add(new JsonObject
            {
                ["fullUrl"] = new Uri(BaseAddress, $"{type}/{resource["id"]}").ToString(),
                ["resource"] = resource,
                ["search"] = new JsonObject { ["mode"] = "match" },
            });
        }
        return Fhir(StatusCodes.Status200OK, new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["total"] = found.Count,
            ["entry"] = entries,
        });
    }

    private FhirTestFault? TakeFault(string type)
    {
        lock (_gate)
        {
            if (_alwaysFaults.FirstOrDefault(f => f.Applies(type)) is { } always)
            {
                return always;
            }
            var index = _nextFaults.FindIndex(f => f.Fault.Applies(type));
            if (index < 0)
            {
                return null;
            }
            var (fault, remaining) = _nextFaults[index];
            if (remaining <= 1)
            {
                _nextFaults.RemoveAt(index);
            }
            else
            {
                _nextFaults[index] = (fault, remaining - 1);
            }
            return fault;
        }
    }

    private async Task<IResult> ApplyFaultAsync(HttpContext context, FhirTestFault fault)
    {
        switch (fault.Kind)
        {
            case FhirTestFaultKind.Hang:
                using (var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, both.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up (or the server is stopping): there is no one to answer.
                    }
                }
                context.Abort();
                return Results.Empty;
            case FhirTestFaultKind.Disconnect:
                context.Abort();
                return Results.Empty;
            case FhirTestFaultKind.Reject:
                return Outcome(fault.StatusCode, "invalid", fault.Diagnostics ?? "Rejected by the test server");
            default:
                var outcome = Outcome(fault.StatusCode, "transient", $"Injected HTTP {fault.StatusCode}");
                return fault.RetryAfter is { } after
                    ? new WithHeaders(outcome, ("Retry-After", ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture)))
                    : outcome;
        }
    }

    /// <summary>FHIR token <c>system|value</c> (or just <c>value</c>), '\' escaping '|', ',', '$' and '\'.</summary>
    public static (string? System, string Value) ParseToken(string token)
    {
        var parts = new List<StringBuilder> { new() };
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] == '\\' && i + 1 < token.Length)
            {
                parts[^1].Append(token[++i]);
            }
            else if (token[i] == '|' && parts.Count == 1)
            {
                parts.Add(new StringBuilder());
            }
            else
            {
                parts[^1].Append(token[i]);
            }
        }
        return parts.Count == 2 ? (parts[0].ToString(), parts[1].ToString()) : (null, parts[0].ToString());
    }

    private static bool HasIdentifier(JsonObject resource, string? system, string value) =>
        resource["identifier"] is JsonArray identifiers && identifiers.Any(i =>
            i?["value"]?.GetValue<string>() == value && (system is null || i["system"]?.GetValue<string>() == system));

    private static string? PatientOf(string type, string id, JsonObject resource)
    {
        if (type == "Patient")
        {
            return id;
        }
        foreach (var name in (string[])["subject", "patient", "for"])
        {
            if (resource[name]?["reference"]?.GetValue<string>() is { } reference && reference.StartsWith("Patient/", StringComparison.Ordinal))
            {
                return reference["Patient/".Length..];
            }
        }
        return null;
    }

    private static JsonNode WithoutMeta(JsonObject resource)
    {
        var copy = (JsonObject)resource.DeepClone();
        copy.Remove("meta");
        return copy;
    }

    private static IResult Fhir(int status, JsonNode body) => Results.Text(body.ToJsonString(), FhirJson, Encoding.UTF8, status);

    private static IResult Outcome(int status, string code, string diagnostics) => Fhir(status, new JsonObject
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = code, ["diagnostics"] = diagnostics }),
    });

    private static JsonObject CapabilityStatement()
    {
        var resources = new JsonArray();
        foreach (var type in (string[])["Patient", "Device", "Observation", "RiskAssessment", "Flag", "Task"])
        {
            resources.Add(new JsonObject
            {
                ["type"] = type,
                ["interaction"] = new JsonArray(new JsonObject { ["code"] = "read" }, new JsonObject { ["code"] = "update" }, new JsonObject { ["code"] = "create" }, new JsonObject { ["code"] = "search-type" }),
                ["conditionalUpdate"] = true,
                ["updateCreate"] = true,
                ["searchParam"] = new JsonArray(new JsonObject { ["name"] = "identifier", ["type"] = "token" }),
            });
        }
        return new JsonObject
        {
            ["resourceType"] = "CapabilityStatement",
            ["status"] = "active",
            ["date"] = "2025-01-01",
            ["kind"] = "instance",
            ["fhirVersion"] = "4.0.1",
            ["format"] = new JsonArray("json"),
            ["rest"] = new JsonArray(new JsonObject { ["mode"] = "server", ["resource"] = resources }),
        };
    }

    /// <summary>Adds response headers to another result.</summary>
    private sealed class WithHeaders(IResult inner, params (string Name, string Value)[] headers) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            foreach (var (name, value) in headers)
            {
                httpContext.Response.Headers[name] = value;
            }
            return inner.ExecuteAsync(httpContext);
        }
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                release();
            }
        }
    }
}
