using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace Telehealth.Integration.Tests.Platform;

/// <summary>A staff member's live connection to /hubs/alerts, recording every alertRaised and alertUpdated.</summary>
public sealed class AlertListener : IAsyncDisposable
{
    private readonly HubConnection _connection;
    private readonly ConcurrentQueue<(string Method, JsonElement Alert)> _received = new();
    private readonly SemaphoreSlim _signal = new(0);

    private AlertListener(HubConnection connection)
    {
        _connection = connection;
        _connection.On<JsonElement>("alertRaised", alert => Record("alertRaised", alert));
        _connection.On<JsonElement>("alertUpdated", alert => Record("alertUpdated", alert));
    }

    public IReadOnlyList<(string Method, JsonElement Alert)> Received => _received.ToArray();

    public static async Task<AlertListener> ConnectAsync(Uri baseAddress, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/alerts"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var listener = new AlertListener(connection);
        await connection.StartAsync();
        return listener;
    }

    /// <summary>Waits until a message matching <paramref name="match"/> has arrived (or fails after the timeout).</summary>
    public async Task<JsonElement> WaitForAsync(string method, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            foreach (var (m, alert) in _received)
            {
                if (m == method && match(alert))
                {
                    return alert;
                }
            }
            try
            {
                await _signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {method} matching the condition arrived; received: {string.Join(", ", _received.Select(r => r.Method + " " + r.Alert))}");
            }
        }
    }

    private void Record(string method, JsonElement alert)
    {
        _received.Enqueue((method, alert.Clone()));
        _signal.Release();
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
