using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Durability;

/// <summary>
/// A dashboard as the front end behaves behind a load balancer: live on /hubs/alerts of one instance, and after a lost
/// connection (its instance killed) it reconnects to the next instance in the pool and asks
/// <c>GET /api/alerts/events?after=</c> for what it missed. Records which alert
/// ids it saw raised, and how (live or caught up), so a test can say every alert reached a dashboard.
/// </summary>
public sealed class DashboardFollower : IAsyncDisposable
{
    private readonly IReadOnlyList<Uri> _pool;
    private readonly string _token;
    private int _current;
    private readonly ConcurrentDictionary<string, string> _raised = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private HubConnection? _connection;
    private long _lastSequence;
    private int _reconnects;
    private Task _reconnecting = Task.CompletedTask;

    private DashboardFollower(IReadOnlyList<Uri> pool, string token)
    {
        _pool = pool;
        _token = token;
    }

    private Uri BaseAddress => _pool[_current % _pool.Count];

    /// <summary>Alert id → "live" or "caught-up".</summary>
    public IReadOnlyDictionary<string, string> Raised => _raised;

    public int Reconnects => _reconnects;

    /// <param name="pool">The instances behind the load balancer; the first is used until it fails.</param>
    public static async Task<DashboardFollower> ConnectAsync(IReadOnlyList<Uri> pool, string token)
    {
        var follower = new DashboardFollower(pool, token);
        await follower.ConnectOnceAsync();
        return follower;
    }

    /// <summary>Reconnects if the connection was lost, then catches up once more (what a dashboard does on focus).</summary>
    public async Task CatchUpAsync()
    {
        await _reconnecting;
        if (_connection is not { State: HubConnectionState.Connected })
        {
            await ReconnectAsync();
        }
        await ReadMissedAsync("caught-up");
    }

    private async Task ConnectOnceAsync()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/alerts"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(_token))
            .Build();
        connection.On<JsonElement>("alertRaised", alert => Record(alert, "live"));
        connection.On<JsonElement>("alertUpdated", alert => Record(alert, "live"));
        connection.Closed += _ =>
        {
            if (!_stopping.IsCancellationRequested)
            {
                _reconnecting = Task.Run(ReconnectAsync);
            }
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        _connection = connection;
    }

    private async Task ReconnectAsync()
    {
        Interlocked.Increment(ref _reconnects);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                if (_connection is not null)
                {
                    await _connection.DisposeAsync();
                }
                await ConnectOnceAsync();
                await ReadMissedAsync("caught-up");
                return;
            }
            catch (Exception)
            {
                // That instance is down: the load balancer sends the next attempt to another one.
                _current++;
                if (!_stopping.IsCancellationRequested)
                {
                    await Task.Delay(250);
                }
            }
        }
    }

    private async Task ReadMissedAsync(string how)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        while (true)
        {
            var page = await client.GetJsonAsync($"/api/alerts/events?after={Interlocked.Read(ref _lastSequence)}&limit=1000");
            if (page.GetArrayLength() == 0)
            {
                return;
            }
            foreach (var alert in page.EnumerateArray())
            {
                Record(alert, how);
            }
        }
    }

    private void Record(JsonElement alert, string how)
    {
        if (alert.TryGetProperty("eventSequence", out var sequence) && sequence.ValueKind == JsonValueKind.Number)
        {
            var value = sequence.GetInt64();
            long seen;
            while ((seen = Interlocked.Read(ref _lastSequence)) < value && Interlocked.CompareExchange(ref _lastSequence, value, seen) != seen)
            {
            }
        }
        _raised.TryAdd(alert.GetProperty("id").GetString()!, how);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _reconnecting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
