namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// A team's duty rota as staff set it (<c>PUT /api/teams/{teamId}/rota</c>): who is on duty when, in the order to
/// try them, the team lead after them, the partners to bring in, and how to reach each. The escalator sees it as the
/// core's <see cref="DutyRota"/>.
/// </summary>
public sealed record TeamRota(
    string TeamId,
    string TeamLead,
    RotaContact TeamLeadContact,
    IReadOnlyList<RotaEntry> Entries,
    IReadOnlyList<RotaPartner> Partners,
    DateTimeOffset UpdatedAt,
    string UpdatedBy)
{
    public DutyRota ToDutyRota() => new(
        Entries.Select(e => new RotaShift(e.Username, e.Start, e.End)).ToList(),
        TeamLead,
        Partners.Select(p => new PartnerTarget(p.Id, p.Kind, p.MinimumSeverity, p.FromStep)).ToList());

    /// <summary>
    /// How to reach <paramref name="target"/> at <paramref name="at"/>: a partner's contact, the team lead's, or the
    /// contact on the person's shift covering that moment (else on any of their shifts). Null when the rota has none.
    /// </summary>
    public RotaContact? ContactOf(string target, DateTimeOffset at)
    {
        if (Partners.FirstOrDefault(p => p.Id == target) is { } partner)
        {
            return partner.Contact;
        }
        if (target == TeamLead)
        {
            return TeamLeadContact;
        }
        var shifts = Entries.Where(e => e.Username == target).ToList();
        return (shifts.FirstOrDefault(e => e.Start <= at && at < e.End) ?? shifts.FirstOrDefault())?.Contact;
    }

    public bool IsPartner(string target) => Partners.Any(p => p.Id == target);
}
