using Telehealth.CareRecord.Alerting;

namespace Telehealth.CareRecord.Figures;

/// <summary>An alert raised in the period, with the first staff response and the first call from its event log.</summary>
/// <param name="FirstAcknowledgedAt">The first <c>acknowledged</c> event (a re-opened alert keeps its first response).</param>
/// <param name="FirstCallAt">The first <c>call_attempted</c> event, whatever its outcome (an unanswered call is still a call made).</param>
public sealed record AlertFact(AlertCase Alert, DateTimeOffset? FirstAcknowledgedAt, DateTimeOffset? FirstCallAt = null);
