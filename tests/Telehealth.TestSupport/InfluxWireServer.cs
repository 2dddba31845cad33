using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Telehealth.TestSupport;

/// <summary>
/// A real HTTP server (Kestrel on a free loopback port) that answers writes the way InfluxDB does, for the answers a
/// real influxd cannot be made to give on demand: 413, 429 and 503 with Retry-After, a hang past the client's timeout,
/// the 2.x write API. It tests our client against the wire; it is not a stand-in for a server we ship against (the
/// store's behaviour against InfluxDB itself is tested with a real influxd, <see cref="InfluxServer"/>).
/// </summary>
public sealed class InfluxWireServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<InfluxWireRequest> _requests = [];
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<InfluxWireRequest, InfluxWireAnswer> _answer = _ => InfluxWireAnswer.Stored;

    private InfluxWireServer(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<InfluxWireServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new InfluxWireServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>How each request is answered from now on (the default stores everything: 204).</summary>
    public void AnswerWith(Func<InfluxWireRequest, InfluxWireAnswer> answer)
    {
        lock (_gate)
        {
            _answer = answer;
        }
    }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<InfluxWireRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult(); // hung answers end now
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new InfluxWireRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.Authorization.ToString(),
            body.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Func<InfluxWireRequest, InfluxWireAnswer> answerWith;
        lock (_gate)
        {
            _requests.Add(request);
            answerWith = _answer;
        }
        var answer = answerWith(request);
        if (answer.Hang)
        {
            // Until the client gives up (its timeout closes the connection) or the server is disposed.
            await Task.WhenAny(_released.Task, Task.Delay(Timeout.Infinite, context.RequestAborted)).ContinueWith(_ => { }, CancellationToken.None);
            return;
        }
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        if (answer.Json is { } json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json, context.RequestAborted);
        }
        else if (answer.Error is { } error)
        {
            // InfluxDB's shape: JSON {"error": "..."} and the same text in X-Influxdb-Error.
            context.Response.Headers["X-Influxdb-Error"] = error;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsJsonAsync(new { error }, context.RequestAborted);
        }
    }
}
