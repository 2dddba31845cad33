using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using MQTTnet;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Security;

/// <summary>
/// Password guessing saturates only the bounded hash gate: beyond it sign-ins are turned away with 503 and Retry-After,
/// and /health and device acknowledgements keep being answered meanwhile (asserted that they answer, not how fast).
/// </summary>
public sealed class HttpSignInLoadTests : IAsyncLifetime
{
    private TelehealthPlatform _platform = null!;

    public async Task InitializeAsync()
    {
        _platform = await TelehealthPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:SignIn:MaxConcurrentHashes"] = "1",
            ["Auth:SignIn:MaxQueuedHashes"] = "2",
            // Limits out of the way: this test is about the hash gate, every guess comes from 127.0.0.1.
            ["Auth:SignIn:SourceFreeFailures"] = "10000",
            ["Auth:SignIn:AccountFreeFailures"] = "100",
        });
    }

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Health_and_device_acknowledgements_are_answered_while_guessing_saturates_the_hash_gate()
    {
        using var staff = await _platform.CreateStaffClientAsync();
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Load Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId);
        await using var device = await MqttDevice.ConnectAsync(_platform.MqttPort, deviceId, secret);

        var saturated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var statuses = new ConcurrentBag<(HttpStatusCode Status, TimeSpan? RetryAfter)>();
        using var stop = new CancellationTokenSource();
        var guessers = Enumerable.Range(0, 8).Select(g => Task.Run(async () =>
        {
            using var client = _platform.CreateAnonymousClient();
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var response = await client.PostAsJsonAsync("/api/auth/token", new { username = $"guess-{g}-{n % 50}", password = "wrong" });
                statuses.Add((response.StatusCode, response.Headers.RetryAfter?.Delta));
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    saturated.TrySetResult();
                }
            }
        })).ToList();

        await saturated.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using var anonymous = _platform.CreateAnonymousClient();
        var health = await anonymous.GetAsync("/health");
        var ack = await device.PublishReadingsAsync("""[{"n":"spo2","u":"%","v":96}]""");
        await stop.CancelAsync();
        await Task.WhenAll(guessers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(MqttClientPublishReasonCode.Success, ack.ReasonCode);
        Assert.All(statuses, s => Assert.Contains(s.Status, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(statuses, s => s.Status == HttpStatusCode.Unauthorized);
        Assert.All(statuses.Where(s => s.Status == HttpStatusCode.ServiceUnavailable), s => Assert.Equal(TimeSpan.FromSeconds(1), s.RetryAfter));
    }
}
