using Microsoft.Extensions.Time.Testing;
using Telehealth.CareRecord.Audit;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Escalation;
using Telehealth.CareRecord.Staff;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage;

/// <summary>
/// The workspace's stores on every care-record engine: staff accounts, teams, failed sign-ins, the audit log, contacts,
/// rotas and escalation timers, each round-tripped with exact values and counts.
/// </summary>
public abstract class RecordStoresConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(T0);

    protected override TimeProvider Clock => _clock;

    [Fact]
    public async Task Staff_accounts_teams_and_failed_sign_ins_round_trip()
    {
        var staff = Get<IStaffStore>();
        var teams = Get<ITeamStore>();
        var failures = Get<ISignInFailureLog>();
        var nurse = new StaffUser("nurse.a", "clinician", "team-a");
        var hash = new StaffPasswordHash([1, 2, 3], [4, 5, 6, 7]);

        Assert.False(await staff.AnyAsync());
        Assert.Equal(StaffCreateResult.Created, await staff.CreateAsync(nurse, hash, T0));
        Assert.Equal(StaffCreateResult.DuplicateUsername, await staff.CreateAsync(nurse with { Role = "admin" }, hash, T0));
        var found = (await staff.FindActiveAsync("nurse.a"))!;
        Assert.Equal(nurse, found.User);
        Assert.Equal([1, 2, 3], found.Password.Salt);
        Assert.Equal([4, 5, 6, 7], found.Password.Hash);
        Assert.True(await staff.IsInTeamAsync("nurse.a", "team-a"));
        Assert.False(await staff.IsInTeamAsync("nurse.a", "team-b"));
        Assert.True(await staff.DisableAsync("nurse.a", T0.AddHours(1)));
        Assert.Null(await staff.FindActiveAsync("nurse.a"));
        Assert.False(await staff.IsActiveAsync("nurse.a"));
        Assert.Equal([new StaffAccount("nurse.a", "clinician", "team-a", T0, T0.AddHours(1))], await staff.ListAsync("team-a"));
        await staff.UpsertAsync(nurse with { Role = "team_lead" }, hash, T0.AddHours(2));
        Assert.True(await staff.IsActiveAsync("nurse.a"));
        Assert.Equal(["team_lead"], (await staff.ListAsync(null)).Select(a => a.Role));
        Assert.True(await staff.AnyAsync());

        var north = await teams.CreateAsync("North");
        Assert.StartsWith("team-", north);
        Assert.Null(await teams.CreateAsync("NORTH")); // names are unique whatever their case
        Assert.True(await teams.ExistsAsync(north!));
        Assert.True(await teams.ExistsAsync("team-a")); // a team known only from its staff
        Assert.False(await teams.ExistsAsync("team-nobody"));
        Assert.Equal([("North", true), ("team-a", false)], (await teams.ListAsync()).Select(t => (t.Name, t.CreatedAt is not null)));

        await failures.RecordAsync(T0, "nurse.a", "127.0.0.1", "bad_password");
        await failures.RecordAsync(T0.AddMinutes(1), "nobody", "127.0.0.1", "unknown_user");
        await failures.RecordAsync(T0.AddMinutes(2), "nurse.a", "10.0.0.1", "bad_password");
        var page = await failures.PageAsync(2, null);
        Assert.Equal([("nurse.a", "10.0.0.1"), ("nobody", "127.0.0.1")], page.Select(f => (f.Username, f.Source)));
        Assert.Equal([T0], (await failures.PageAsync(10, page[1].Id)).Select(f => f.At));
        Assert.Equal(2, await failures.PruneAsync(T0.AddMinutes(2)));
        Assert.Single(await failures.PageAsync(10, null));
    }

    [Fact]
    public async Task Audit_contacts_rotas_and_escalation_timers_round_trip()
    {
        var audit = Get<IAuditLog>();
        await audit.AppendAsync(
        [
            new AuditEntry(null, T0, "nurse.a", "clinician", "pat-1", "team-a", AuditAction.View, "patient"),
            new AuditEntry(null, T0.AddMinutes(1), "nurse.a", "clinician", "pat-2", "team-b", AuditAction.Change, "thresholds"),
            new AuditEntry(null, T0.AddMinutes(2), "lead.b", "team_lead", "pat-1", "team-a", AuditAction.Create, "patient"),
        ]);
        var teamA = await audit.QueryAsync(new AuditQuery("team-a", null, null, 10));
        Assert.Equal([("lead.b", AuditAction.Create), ("nurse.a", AuditAction.View)], teamA.Select(e => (e.Actor, e.Action)));
        Assert.Equal(["thresholds"], (await audit.QueryAsync(new AuditQuery(null, "pat-2", null, 10))).Select(e => e.Resource));
        // The next page of team-a: what came before the newest entry shown.
        Assert.Equal([T0], (await audit.QueryAsync(new AuditQuery("team-a", null, teamA[0].Sequence, 10))).Select(e => e.At));

        var contacts = Get<IPatientContactStore>();
        var set = new PatientContacts([new PatientPhone(PhoneLabel.Mobile, "07700 900123")], [new PatientContact("Sam", ContactRelationship.Carer, "07700 900456")]);
        await contacts.SetAsync("pat-1", set, "nurse.a", T0);
        var read = await contacts.GetAsync("pat-1");
        Assert.Equal((set.Phones.Single(), set.Contacts.Single()), (read.Phones.Single(), read.Contacts.Single()));
        Assert.Equal(["pat-1"], (await contacts.GetManyAsync(["pat-1", "pat-9"])).Keys);
        Assert.Empty((await contacts.GetAsync("pat-9")).Phones);

        var rotas = Get<ITeamRotaStore>();
        var rota = new TeamRota("team-a", "lead.b", new RotaContact("lead@example.org", null),
            [new RotaEntry("nurse.a", new RotaContact(null, "https://example.org/hook"), T0, T0.AddHours(8))], [], T0, "lead.b");
        await rotas.PutAsync(rota);
        var stored = (await rotas.GetAsync("team-a"))!;
        Assert.Equal((rota.TeamLead, rota.TeamLeadContact, rota.Entries.Single(), rota.UpdatedAt), (stored.TeamLead, stored.TeamLeadContact, stored.Entries.Single(), stored.UpdatedAt));
        Assert.Null(await rotas.GetAsync("team-b"));

        var timers = Get<IEscalationTimerStore>();
        var alert = Guid.NewGuid();
        await timers.ScheduleAsync(alert, "pat-1", T0.AddMinutes(10));
        await timers.ScheduleAsync(alert, "pat-1", T0.AddMinutes(5));  // earlier: kept
        await timers.ScheduleAsync(alert, "pat-1", T0.AddMinutes(30)); // later: the earlier stands
        Assert.Empty(await timers.DueAsync(T0.AddMinutes(4), 10));
        var due = Assert.Single(await timers.DueAsync(T0.AddMinutes(6), 10));
        Assert.Equal((alert, "pat-1", T0.AddMinutes(5), 3L), (due.AlertId, due.PatientId, due.DueAt, due.Version));
        await timers.CompleteAsync(due with { Version = 2 }, next: null); // stale: ignored
        await timers.CompleteAsync(due, T0.AddMinutes(20));
        Assert.Equal(T0.AddMinutes(20), await timers.NextDueAsync());
        await timers.CompleteAsync(due, next: null);
        Assert.Empty(await timers.AllAsync());
        Assert.Null(await timers.NextDueAsync());
    }
}

/// <summary>The workspace's stores on the embedded engine.</summary>
public sealed class RecordStoresTests() : RecordStoresConformance(new SqliteStoreEngine());
