using System.Globalization;
using Telehealth.Alerts.Escalation;
using Telehealth.Alerts.Recording;
using Telehealth.CareRecord.Instances;
using Telehealth.Integration.Tests.Platform;
using Telehealth.Storage.Sqlite;
using Telehealth.Storage.Sqlite.Instances;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Durability;

/// <summary>
/// The embedded default is one instance. Killed (SIGKILL) and started again on the same data, it used to wait for its
/// dead predecessor's work leases to run out before pushing to dashboards or escalating: up to 20 s at the default
/// lease, here set to 5 minutes so that waiting cannot pass. The restarted instance sees the predecessor's process is
/// gone (same machine) and takes the leases at start. (Without a Redis backplane the SignalR push is not leased: the
/// leases are read from the care record file itself.)
/// </summary>
[Trait("Hazard", "H3")]
[Trait("Hazard", "H19")]
public sealed class RestartResumesAtOnceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The once-only work of the embedded default: escalation timers and the notifying follower (the FHIR
    /// follower runs only with a FHIR server configured).</summary>
    private static readonly string[] LeaseNames =
        [EscalationWorker.LeaseName, AlertEventFollowers.LeaseName("escalation")];

    [Fact]
    public async Task The_only_instance_restarted_after_a_crash_pushes_live_alerts_at_once_not_when_its_dead_leases_run_out()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "telehealth-restart-" + Guid.NewGuid().ToString("N"));
        var password = "restart-" + Guid.NewGuid().ToString("N");
        var (httpPort, mqttPort) = (FreePort.Next(), FreePort.Next());
        var settings = new Dictionary<string, string?> { ["Instances:LeaseDuration"] = "00:05:00" };
        try
        {
            await using (var first = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort, settings: settings))
            {
                using var staff = await first.CreateStaffClientAsync(password);
                await using var dashboard = await AlertListener.ConnectAsync(first.BaseAddress, staff.DefaultRequestHeaders.Authorization!.Parameter!);
                // Pushed live: the first instance holds the SignalR follower's lease (for 5 minutes from each renewal).
                var before = await PressPendantAsync(staff, first.MqttPort, "Before Crash");
                await dashboard.WaitForAsync("alertRaised", a => a.Str("patientId") == before, Patience);
                await WaitForLeasesAsync(dataDirectory, first.ProcessId);
                await first.KillAsync();
            }
            var lastHeld = await LeasesAsync(dataDirectory);

            await using var second = await PlatformProcess.StartAsync(dataDirectory, password, httpPort, mqttPort, settings: settings);
            // Every lease taken by the new process long before the dead one's ran out (at least 3 min 20 s away).
            await WaitForLeasesAsync(dataDirectory, second.ProcessId);
            foreach (var (name, taken) in await LeasesAsync(dataDirectory))
            {
                Assert.True(taken.AcquiredAt < lastHeld[name].Until - TimeSpan.FromMinutes(2), $"{name}: taken at {taken.AcquiredAt:O}, dead lease until {lastHeld[name].Until:O}");
            }
            using var staffAgain = await second.CreateStaffClientAsync(password);
            await using var dashboardAgain = await AlertListener.ConnectAsync(second.BaseAddress, staffAgain.DefaultRequestHeaders.Authorization!.Parameter!);
            var after = await PressPendantAsync(staffAgain, second.MqttPort, "After Restart");

            var raised = await dashboardAgain.WaitForAsync("alertRaised", a => a.Str("patientId") == after, Patience);
            Assert.Equal("event:pendant_press", raised.Str("condition"));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner.
            }
        }
    }

    private static async Task<Dictionary<string, WorkLease>> LeasesAsync(string dataDirectory)
    {
        var store = new SqliteWorkLeaseStore(new SqliteDatabase(Path.Combine(dataDirectory, "telehealth.db"), checkpointsInBackground: false));
        var leases = new Dictionary<string, WorkLease>();
        foreach (var name in LeaseNames)
        {
            if (await store.GetAsync(name) is { } lease)
            {
                leases[name] = lease;
            }
        }
        return leases;
    }

    /// <summary>Waits until the process <paramref name="processId"/> holds every lease (a holder id names its process id).</summary>
    private static async Task WaitForLeasesAsync(string dataDirectory, int processId)
    {
        var mark = string.Create(CultureInfo.InvariantCulture, $":{processId}:");
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var leases = await LeasesAsync(dataDirectory);
            if (leases.Count == LeaseNames.Length && leases.Values.All(l => l.Holder.Contains(mark, StringComparison.Ordinal)))
            {
                return;
            }
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"process {processId} holds {string.Join(", ", leases.Select(l => $"{l.Key}: {l.Value.Holder}"))}");
            }
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task<string> PressPendantAsync(HttpClient staff, int mqttPort, string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(staff, name);
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pendant_alarm");
        await using var device = await MqttDevice.ConnectAsync(mqttPort, deviceId, secret);
        await device.PublishEventAsync("""{"event":"pendant_press"}""");
        return patientId;
    }
}
