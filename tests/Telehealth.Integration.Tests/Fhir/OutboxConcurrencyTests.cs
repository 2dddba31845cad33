using System.Globalization;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>
/// The push worker sends several people's entries at once (<c>Fhir:MaxConcurrentPushes</c>), each person's in order:
/// a server far away costs one round trip per resource, so one request at a time caps the whole outbox at a few dozen
/// resources a second.
/// </summary>
public sealed class OutboxConcurrencyTests : IAsyncLifetime
{
    private const int People = 5;

    private FhirTestServer _server = null!;

    public async Task InitializeAsync() => _server = await FhirTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(8, People)]
    public async Task A_backlog_of_five_people_is_pushed_that_many_at_once_each_persons_entries_in_order(int maxConcurrentPushes, int expectedInFlight)
    {
        var settings = OutboxHarness.Settings(_server);
        settings["Fhir:MaxConcurrentPushes"] = maxConcurrentPushes.ToString(CultureInfo.InvariantCulture);
        // Held requests must not time out: a timed-out lane retries, and enough failures open the circuit, whose
        // half-open state lets one trial request through at a time.
        settings["Fhir:RequestTimeout"] = "00:02:00";

        // A backlog of five people, left by a platform whose server refused every connection.
        _server.FailAlways(FhirTestFault.Disconnect());
        var first = await TelehealthPlatform.StartAsync(settings);
        first.KeepData = true;
        var patients = new List<string>();
        string[] backlog;
        try
        {
            using var staff = await first.CreateStaffClientAsync();
            for (var p = 0; p < People; p++)
            {
                var patientId = await TelehealthPlatform.CreatePatientAsync(staff, $"Lane Person {p}");
                await TelehealthPlatform.RegisterDeviceAsync(staff, patientId, "pulse_oximeter");
                patients.Add(patientId);
            }
            var pending = await Eventually.GetAsync(() => staff.GetOutboxAsync("pending"),
                view => patients.All(id => view.Entries.Count(e => e.PatientId == id) == 2));
            backlog = pending.Entries.OrderBy(e => e.Seq).Select(e => e.Reference).ToArray();
            Assert.Equal(People * 2, pending.Pending);
            Assert.Empty(_server.Writes);
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Restarted on the same data, the first page holds all five people: the server answers nothing until it has
        // seen as many requests at once as the worker may send.
        _server.ClearFaults();
        var hold = _server.HoldWrites();
        await using var second = await TelehealthPlatform.StartAsync(settings, first.DataDirectory, first.AdminPassword);
        using var restartedStaff = await second.CreateStaffClientAsync();
        await Eventually.GetAsync(() => Task.FromResult(_server.InFlightWrites), inFlight => inFlight == expectedInFlight);
        hold.Dispose();
        var drained = await restartedStaff.WaitUntilDrainedAsync(minimumSent: backlog.Length);

        Assert.Equal(expectedInFlight, _server.PeakInFlightWrites);
        Assert.Equal((0, backlog.Length, 0), (drained.Pending, drained.Sent, drained.Failed));
        Assert.Equal(backlog.Length, _server.Writes.Count);
        foreach (var patientId in patients)
        {
            // Each person's Patient, then the Device that names it; nothing sent twice.
            var arrived = _server.ArrivedInOrder(patientId);
            Assert.Equal(drained.SentInOrder(patientId), arrived);
            Assert.Equal($"Patient/{patientId}", arrived[0]);
            Assert.StartsWith("Device/", arrived[1], StringComparison.Ordinal);
            _server.AssertReferencesArrivedFirst(patientId);
        }
    }
}
