using Telehealth.Alerts.Escalation;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Escalation;

namespace Telehealth.Tests.Notifications;

public sealed class TeamRotaValidatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<string> Targets = new(StringComparer.Ordinal) { "sms-gateway" };

    private static TeamRota Rota(
        string lead = "lead", RotaContact? leadContact = null, IReadOnlyList<RotaEntry>? entries = null, IReadOnlyList<RotaPartner>? partners = null) =>
        new("team-a", lead, leadContact ?? new RotaContact("lead@trust.test", null),
            entries ?? [new RotaEntry("nurse1", new RotaContact(null, "sms-gateway"), Start, Start.AddHours(8))],
            partners ?? [], Start, "admin");

    public static TheoryData<TeamRota, string[]> Cases => new()
    {
        { Rota(), [] },
        { Rota(lead: " "), ["team_lead_required"] },
        { Rota(leadContact: new RotaContact(null, null)), ["contact_required"] },
        { Rota(leadContact: new RotaContact("lead at trust", null)), ["invalid_email"] },
        { Rota(entries: [new RotaEntry("nurse1", new RotaContact("n@trust.test", null), Start, Start)]), ["shift_end_not_after_start"] },
        { Rota(entries: [new RotaEntry("", new RotaContact(null, "pager"), Start, Start.AddHours(1))]), ["username_required", "unknown_webhook_target"] },
        { Rota(partners: [new RotaPartner("gp", "gp", AlertSeverity.High, 2, new RotaContact("gp@practice.test", null))]), [] },
        { Rota(partners: [new RotaPartner("nurse1", "gp", AlertSeverity.High, 2, new RotaContact("gp@practice.test", null))]), ["partner_id_clash"] },
        {
            Rota(partners: [new RotaPartner("gp", "gp", AlertSeverity.High, 2, new RotaContact("gp@practice.test", null)), new RotaPartner("gp", "g p", (AlertSeverity)9, 0, new RotaContact(null, null))]),
            ["partner_id_invalid", "partner_kind_invalid", "partner_from_step_invalid", "partner_severity_invalid", "contact_required"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_problem_is_reported_with_its_reason(TeamRota rota, string[] reasons) =>
        Assert.Equal(reasons, TeamRotaValidator.Validate(rota, Targets).Select(p => p.Split(':')[0]));

    [Fact]
    public void A_persons_contact_is_the_one_on_the_shift_covering_the_moment()
    {
        var rota = Rota(entries:
        [
            new RotaEntry("nurse1", new RotaContact("day@trust.test", null), Start, Start.AddHours(8)),
            new RotaEntry("nurse1", new RotaContact("night@trust.test", null), Start.AddHours(12), Start.AddHours(20)),
        ], partners: [new RotaPartner("gp", "gp", AlertSeverity.High, 2, new RotaContact(null, "sms-gateway"))]);

        Assert.Equal("day@trust.test", rota.ContactOf("nurse1", Start.AddHours(1))!.Email);
        Assert.Equal("night@trust.test", rota.ContactOf("nurse1", Start.AddHours(13))!.Email);
        Assert.Equal("day@trust.test", rota.ContactOf("nurse1", Start.AddHours(10))!.Email);
        Assert.Equal("lead@trust.test", rota.ContactOf("lead", Start)!.Email);
        Assert.Equal("sms-gateway", rota.ContactOf("gp", Start)!.Webhook);
        Assert.Null(rota.ContactOf("stranger", Start));
        Assert.Equal(["nurse1", "nurse1"], rota.ToDutyRota().Shifts.Select(s => s.StaffId));
    }
}
