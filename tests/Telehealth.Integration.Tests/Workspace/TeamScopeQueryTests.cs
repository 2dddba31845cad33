using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Staff;
using Telehealth.Integration.Tests.Fhir;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using Task = System.Threading.Tasks.Task;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>
/// H12: a busy team never hides a quiet team's alerts and a team never sees another's. The team is in the query
/// itself (a page is the newest N of the caller's team, not the newest N of everyone filtered afterwards), and live
/// alerts go only to the SignalR group of the person's team.
/// </summary>
[Trait("Hazard", "H12")]
public sealed class TeamScopeQueryTests : IAsyncLifetime
{
    private TelehealthPlatform _platform = null!;
    private HttpClient _busyAdmin = null!;
    private HttpClient _quietAdmin = null!;
    private HttpClient _busy = null!;
    private HttpClient _quiet = null!;

    public async Task InitializeAsync()
    {
        _platform = await TelehealthPlatform.StartAsync();
        _busyAdmin = await _platform.CreateStaffClientAsync("busy.admin", StaffRoles.Admin, "team-busy");
        _quietAdmin = await _platform.CreateStaffClientAsync("quiet.admin", StaffRoles.Admin, "team-quiet");
        _busy = await _platform.CreateStaffClientAsync("busy.nurse", StaffRoles.Clinician, "team-busy");
        _quiet = await _platform.CreateStaffClientAsync("quiet.nurse", StaffRoles.Clinician, "team-quiet");
    }

    public async Task DisposeAsync()
    {
        foreach (var client in new[] { _busyAdmin, _quietAdmin, _busy, _quiet })
        {
            client.Dispose();
        }
        await _platform.DisposeAsync();
    }

    /// <summary>Raises <paramref name="count"/> High alerts (each needs a follow-up call, so each is a FHIR Task too) for one person straight into the alert store (one commit), raised a minute apart from <paramref name="from"/>.</summary>
    private async Task<List<Guid>> RaiseAsync(string patientId, int count, DateTimeOffset from)
    {
        var changes = Enumerable.Range(0, count).Select(n =>
        {
            var at = from.AddMinutes(n);
            var alert = new AlertCase(Guid.NewGuid(), patientId, $"test:load-{n}", Guid.NewGuid(), AlertSeverity.High, "test_load", "test alert",
                null, AlertCaseStatus.Open, true, false, false, 1, at, at, at, at, at.AddHours(1));
            return new AlertChange(alert, [new AlertEvent(null, alert.Id, patientId, AlertEventType.Raised, AlertEvent.System, at, "test alert", Severity: AlertSeverity.High)]);
        }).ToList();
        await _platform.Services.GetRequiredService<IAlertStore>().CommitAsync(new AlertCommit(patientId, changes, []));
        return changes.Select(c => c.Alert.Id).ToList();
    }

    private static List<string> Ids(JsonElement list) => list.EnumerateArray().Select(a => a.Str("id")).ToList();

    [Fact]
    public async Task H12_a_team_with_one_alert_sees_exactly_it_while_another_team_has_300_newer_and_the_busy_team_sees_its_newest_page()
    {
        var quietPerson = await TelehealthPlatform.CreatePatientAsync(_quietAdmin, "Quiet Person");
        var busyPerson = await TelehealthPlatform.CreatePatientAsync(_busyAdmin, "Busy Person");
        var (quietDevice, _) = await TelehealthPlatform.RegisterDeviceAsync(_quietAdmin, quietPerson);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var quietAlert = Assert.Single(await RaiseAsync(quietPerson, 1, start));
        var busyAlerts = await RaiseAsync(busyPerson, 300, start.AddMinutes(5)); // all newer than the quiet team's one
        await _platform.SettledAsync();

        var quietList = await _quiet.GetJsonAsync("/api/alerts");
        var quietEvents = await _quiet.GetJsonAsync("/api/alerts/events");
        var busyPage = await _busy.GetJsonAsync("/api/alerts");
        var busyAll = await _busy.GetJsonAsync("/api/alerts?limit=1000");
        var busyTen = await _busy.GetJsonAsync("/api/alerts?limit=10");
        var quietFlags = await _quiet.GetOkAsync<Bundle>("/fhir/Flag");
        var quietTasks = await _quiet.GetOkAsync<Bundle>("/fhir/Task");
        var busyFlags = await _busy.GetOkAsync<Bundle>("/fhir/Flag?_count=5");
        var quietDevices = await _quiet.GetJsonAsync("/api/devices");
        var busyDevices = await _busy.GetJsonAsync("/api/devices");
        var quietFhirDevices = await _quiet.GetOkAsync<Bundle>("/fhir/Device");

        Assert.Equal([quietAlert.ToString()], Ids(quietList));
        Assert.Equal([quietAlert.ToString()], quietEvents.EnumerateArray().Select(e => e.Str("id")).ToList());
        Assert.Equal(busyAlerts.AsEnumerable().Reverse().Take(200).Select(id => id.ToString()), Ids(busyPage));
        Assert.Equal(300, busyAll.GetArrayLength());
        Assert.Equal(busyAlerts.AsEnumerable().Reverse().Take(10).Select(id => id.ToString()), Ids(busyTen));
        Assert.Equal(1, quietFlags.Total);
        Assert.Equal(1, quietTasks.Total);
        Assert.Equal(300, busyFlags.Total);
        Assert.Equal(5, busyFlags.Entry.Count);
        Assert.Equal([quietDevice], quietDevices.EnumerateArray().Select(d => d.Str("deviceId")));
        Assert.Equal(0, busyDevices.GetArrayLength());
        Assert.Equal(1, quietFhirDevices.Total);
    }

    [Fact]
    public async Task H12_live_alerts_reach_only_the_SignalR_group_of_the_persons_team()
    {
        var busyPerson = await TelehealthPlatform.CreatePatientAsync(_busyAdmin, "Busy Live Person");
        var quietPerson = await TelehealthPlatform.CreatePatientAsync(_quietAdmin, "Quiet Live Person");
        await using var busyListener = await AlertListener.ConnectAsync(_platform.BaseAddress, _busy.DefaultRequestHeaders.Authorization!.Parameter!);
        await using var quietListener = await AlertListener.ConnectAsync(_platform.BaseAddress, _quiet.DefaultRequestHeaders.Authorization!.Parameter!);
        var now = DateTimeOffset.UtcNow;

        var busyAlert = Assert.Single(await RaiseAsync(busyPerson, 1, now)).ToString();
        var quietAlert = Assert.Single(await RaiseAsync(quietPerson, 1, now)).ToString();
        // The follower pushes in log order: by the time the quiet team's own alert arrives, a wrongly routed busy-team
        // alert would have arrived before it on the same connection.
        await quietListener.WaitForAsync("alertRaised", a => a.Str("id") == quietAlert);
        await busyListener.WaitForAsync("alertRaised", a => a.Str("id") == busyAlert);

        Assert.Equal([quietAlert], quietListener.Received.Select(r => r.Alert.Str("id")));
        Assert.Equal([busyAlert], busyListener.Received.Select(r => r.Alert.Str("id")));
    }
}
