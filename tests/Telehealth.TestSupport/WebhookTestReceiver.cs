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
/// A real HTTP webhook receiver for tests: a tiny Kestrel app on a free loopback port that takes
/// <c>POST /hooks/{target}</c>, keeps every request (headers, raw body, arrival order, answer) and answers 200, or
/// a fault queued for that target (<see cref="FailNext"/>: a status such as 500 or 429 with Retry-After, or a hang
/// past the sender's timeout).
/// </summary>
public sealed class WebhookTestReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<WebhookTestRequest> _requests = [];
    private readonly Dictionary<string, Queue<WebhookTestFault>> _faults = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private long _arrival;

    private WebhookTestReceiver(WebApplication app)
    {
        _app = app;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<WebhookTestReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookTestReceiver(app);
        app.MapPost("/hooks/{target}", receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    public Uri UrlOf(string target) => new(BaseAddress, "hooks/" + target);

    /// <summary>The next <paramref name="count"/> requests to <paramref name="target"/> get <paramref name="fault"/> (after faults queued earlier).</summary>
    public void FailNext(string target, int count, WebhookTestFault fault)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(target, out var queue))
            {
                _faults[target] = queue = new Queue<WebhookTestFault>();
            }
            for (var i = 0; i < count; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<WebhookTestRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds for the requests so far; fails with what arrived after the timeout.</summary>
    public async Task<IReadOnlyList<WebhookTestRequest>> WaitUntilAsync(Func<IReadOnlyList<WebhookTestRequest>, bool> done, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var requests = Requests;
            if (done(requests))
            {
                return requests;
            }
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Webhook receiver: condition not met; {requests.Count} request(s): {string.Join(", ", requests.Select(r => $"{r.Target}→{r.AnsweredWith}"))}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context, string target)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        WebhookTestFault? fault = null;
        long arrival;
        lock (_gate)
        {
            arrival = ++_arrival;
            if (_faults.TryGetValue(target, out var queue) && queue.Count > 0)
            {
                fault = queue.Dequeue();
            }
        }
        var answered = fault?.Hang is null ? fault?.StatusCode ?? 200 : 0;
        var request = new WebhookTestRequest(
            arrival, target,
            context.Request.Headers["X-Telehealth-Timestamp"].FirstOrDefault(),
            context.Request.Headers["X-Telehealth-Signature"].FirstOrDefault(),
            context.Request.Headers["X-Telehealth-Delivery"].FirstOrDefault(),
            context.Request.ContentType,
            buffer.ToArray(),
            DateTimeOffset.UtcNow,
            answered);
        lock (_gate)
        {
            _requests.Add(request);
        }
        if (fault?.Hang is { } hang)
        {
            // Longer than the sender waits: it gives up, and this answer is never read.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(hang, linked.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }
        if (fault?.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.StatusCode = answered;
        if (answered >= 400)
        {
            await context.Response.WriteAsync($"{{\"error\":\"injected {answered}\"}}", context.RequestAborted);
        }
    }
}
