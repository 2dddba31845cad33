using System.Globalization;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>The outbox against a failing FHIR server: a storm of 500/503/timeouts/resets, and a platform restart mid-backlog.</summary>
public sealed class OutboxResilienceTests : IAsyncLifetime
{
    private FhirTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FhirTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task After_a_storm_of_500_503_timeouts_and_resets_every_resource_arrives_exactly_once_in_order_per_patient()
    {
        await using var platform = await TelehealthPlatform.StartAsync(OutboxHarness.Settings(_server));
        using var staff = await platform.CreateStaffClientAsync();
        // Faults are served in this order to whatever the platform sends, during and after the burst.
        var storm = new (int Count, FhirTestFault Fault)[]
        {
            (6, FhirTestFault.Status(500)),
            (4, FhirTestFault.Status(503, retryAfter: TimeSpan.FromSeconds(1))),
            (3, FhirTestFault.Hang()),
            (3, FhirTestFault.Disconnect()),
            (2, FhirTestFault.Status(429)),
            (6, FhirTestFault.Status(502)),
        };
        foreach (var (count, fault) in storm)
        {
            _server.FailNext(count, fault);
        }
        var patients = new List<string>();
        for (var p = 0; p < 2; p++)
        {
            var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Storm {p}");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
            patients.Add(patientId);
            await using var oximeter = await MqttDevice.ConnectAsync(platform, deviceId, secret);
            var start = DateTimeOffset.UtcNow.AddMinutes(-30);
            for (var i = 0; i < 10; i++)
            {
                // SpO2 swings in and out of the red band, so flags and follow-up tasks are raised and updated too.
                var spo2 = i % 3 == 0 ? 86 + p : 96;
                await oximeter.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(start.AddMinutes(i * 3))}},"n":"spo2","u":"%","v":{{spo2}}},{"n":"heart_rate","u":"/min","v":{{(70 + i).ToString(CultureInfo.InvariantCulture)}}}]""");
            }
        }

        var drained = await staff.WaitUntilDrainedAsync(timeout: TimeSpan.FromSeconds(90));

        Assert.Equal(storm.Sum(s => s.Count), _server.FaultsInjected);
        Assert.Equal(0, drained.Failed);
        Assert.Equal(drained.Sent, _server.Writes.Count);
        Assert.True(drained.Entries.Sum(e => e.Attempts) > drained.Sent, "the storm should have cost retries");
        Assert.Equal(40, _server.Current("Observation").Count);
        foreach (var patientId in patients)
        {
            // Exactly once and in order: what arrived for the person is what the outbox sent, entry for entry, in seq order.
            Assert.Equal(drained.SentInOrder(patientId), _server.ArrivedInOrder(patientId));
            Assert.Equal(20, _server.Current("Observation").Count(o => o["subject"].Text("reference") == $"Patient/{patientId}"));
            _server.AssertReferencesArrivedFirst(patientId);
        }
        Assert.Equal(40, _server.Writes.Where(w => w.ResourceType == "Observation").Select(w => w.Identifier).Distinct().Count());
        Assert.All(_server.Writes.Where(w => w.ResourceType == "Observation"), w => Assert.Equal(1, w.VersionId));
        Assert.Contains(_server.Writes, w => w.ResourceType == "Task" && w.VersionId > 1);
    }

    [Fact]
    public async Task A_backlog_left_by_a_stopped_platform_is_sent_after_restart_with_nothing_lost_or_duplicated()
    {
        var settings = OutboxHarness.Settings(_server);
        _server.FailAlways(FhirTestFault.Disconnect());
        var first = await TelehealthPlatform.StartAsync(settings);
        first.KeepData = true;
        string patientId;
        string[] backlog;
        try
        {
            using var staff = await first.CreateStaffClientAsync();
            patientId = await TelehealthPlatform.CreatePatientAsync(staff, "Restart Person");
            var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
            await using var oximeter = await MqttDevice.ConnectAsync(first, deviceId, secret);
            var start = DateTimeOffset.UtcNow.AddMinutes(-20);
            for (var i = 0; i < 5; i++)
            {
                await oximeter.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(start.AddMinutes(i * 3))}},"n":"spo2","u":"%","v":{{(i == 4 ? 87 : 96)}}},{"n":"heart_rate","u":"/min","v":{{70 + i}}}]""");
            }
            // The platform has tried (and failed) before it stops: a real backlog, not just unsent entries.
            var pending = await Eventually.GetAsync(() => staff.GetOutboxAsync("pending"), view => view.Entries.Any(e => e.Attempts > 0));
            Assert.Equal((0, 0), (pending.Sent, pending.Failed));
            backlog = pending.Entries.OrderBy(e => e.Seq).Select(e => e.Reference).ToArray();
            Assert.Equal(pending.Pending, backlog.Length);
            Assert.Equal(10, backlog.Count(r => r.StartsWith("Observation/", StringComparison.Ordinal)));
            Assert.Empty(_server.Writes);
        }
        finally
        {
            await first.DisposeAsync();
        }

        _server.ClearFaults();
        await using var second = await TelehealthPlatform.StartAsync(settings, first.DataDirectory, first.AdminPassword);
        using var restartedStaff = await second.CreateStaffClientAsync();
        var drained = await restartedStaff.WaitUntilDrainedAsync(minimumSent: backlog.Length);

        Assert.Equal((0, backlog.Length, 0), (drained.Pending, drained.Sent, drained.Failed));
        Assert.Equal(backlog, _server.ArrivedInOrder(patientId));
        Assert.Equal(backlog.Length, _server.Writes.Count);
        _server.AssertReferencesArrivedFirst(patientId);
    }
}
