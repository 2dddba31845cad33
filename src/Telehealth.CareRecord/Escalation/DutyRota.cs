namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// A team's escalation ladder: shifts in rota order (who comes first), the team lead after them, and the
/// partners to bring in when nobody in the team acts.
/// </summary>
public sealed record DutyRota(IReadOnlyList<RotaShift> Shifts, string TeamLead, IReadOnlyList<PartnerTarget> Partners)
{
    /// <summary>Whom to try, in order, at <paramref name="now"/>: staff on duty in rota order, then the team lead.</summary>
    public IReadOnlyList<string> LadderAt(DateTimeOffset now) =>
        Shifts.Where(shift => shift.Covers(now)).Select(shift => shift.StaffId)
            .Append(TeamLead)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
