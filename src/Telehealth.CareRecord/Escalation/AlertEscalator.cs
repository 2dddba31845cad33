using System.Globalization;
using Telehealth.CareRecord.Alerting;

namespace Telehealth.CareRecord.Escalation;

/// <summary>
/// Who is next to be told about an unacknowledged alert, and when: pure, and rebuilt entirely from the alert and
/// its event log, so a restart in the middle of an escalation carries on where the log says it was.
/// <list type="number">
/// <item>Step 0, at opening: the first person on the ladder (on duty, in rota order).</item>
/// <item>Step 1, at the response deadline (<see cref="AlertCase.RespondBy"/>): the next person.</item>
/// <item>Every <see cref="ResponsePolicy.RepeatFor"/> after the previous recorded step: the next again, through
/// the rota to the team lead and round again, until someone acknowledges. Timing counts from the step as
/// recorded, so after downtime the overdue step goes at once and the next one a full interval later, not in a burst.</item>
/// </list>
/// Partners are added once per opening when the ladder reaches their step. A snoozed person is skipped; the
/// ladder's timing never waits for them.
/// </summary>
public static class AlertEscalator
{
    public static EscalationDecision Decide(
        AlertCase alert, IReadOnlyList<AlertEvent> events, DutyRota rota, ResponsePolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(rota);
        ArgumentNullException.ThrowIfNull(policy);
        if (alert.Status != AlertCaseStatus.Open)
        {
            return EscalationDecision.Nothing;
        }

        var snoozes = AlertSnoozes.Active(alert, events, now);
        var partnerIds = rota.Partners.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var escalations = events
            .Where(e => e.AlertId == alert.Id && e.Type == AlertEventType.Escalated && e.At >= alert.OpenedAt)
            .OrderBy(e => e.Sequence ?? long.MaxValue).ThenBy(e => e.At)
            .ToList();
        var ladderSteps = escalations.Where(e => e.Subject is not { } s || !partnerIds.Contains(s)).ToList();
        var partnersDone = escalations.Where(e => e.Subject is { } s && partnerIds.Contains(s)).Select(e => e.Subject!).ToHashSet(StringComparer.Ordinal);

        var number = ladderSteps.Count;
        var repeat = policy.RepeatFor(alert.Severity, alert.ConditionKey);
        var dueAt = number switch
        {
            0 => alert.OpenedAt,
            1 => alert.RespondBy,
            _ => ladderSteps[^1].At + repeat,
        };

        var due = new List<EscalationStep>();
        DateTimeOffset nextAt;
        if (now >= dueAt)
        {
            var target = TargetOf(rota.LadderAt(now), number, snoozes, rota.TeamLead);
            var kind = target == rota.TeamLead ? EscalationTargetKind.TeamLead : EscalationTargetKind.Staff;
            due.Add(new EscalationStep(number, target, kind, Reason(number, alert, kind)));
            nextAt = number == 0 ? Later(alert.RespondBy, now) : now + repeat;
            number++;
        }
        else
        {
            nextAt = dueAt;
        }

        // Partners come in once the ladder has reached their step (counting a step due now).
        foreach (var partner in rota.Partners)
        {
            if (alert.Severity >= partner.MinimumSeverity && number > partner.FromStep && !partnersDone.Contains(partner.Id))
            {
                due.Add(new EscalationStep(partner.FromStep, partner.Id, EscalationTargetKind.Partner,
                    string.Create(CultureInfo.InvariantCulture, $"Not acknowledged after {partner.FromStep} escalation steps: {partner.Kind} informed")));
            }
        }
        return new EscalationDecision(due, nextAt, snoozes);
    }

    /// <summary>
    /// The ladder position for this step; a person who snoozed the alert is passed over for the next one on the
    /// ladder. If everyone snoozed it, the team lead is told anyway: a snooze is one person's, never the team's.
    /// </summary>
    private static string TargetOf(IReadOnlyList<string> ladder, int number, IReadOnlyDictionary<string, DateTimeOffset> snoozes, string teamLead)
    {
        for (var i = 0; i < ladder.Count; i++)
        {
            var candidate = ladder[(number + i) % ladder.Count];
            if (!snoozes.ContainsKey(candidate))
            {
                return candidate;
            }
        }
        return teamLead;
    }

    private static string Reason(int number, AlertCase alert, EscalationTargetKind kind) => number == 0
        ? "New alert: first on the duty rota notified"
        : string.Create(CultureInfo.InvariantCulture,
            $"Not acknowledged by {alert.RespondBy:HH:mm} UTC (step {number}): {(kind == EscalationTargetKind.TeamLead ? "team lead" : "next on the duty rota")} notified");

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
