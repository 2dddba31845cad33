using Telehealth.CareRecord.Alerting;

namespace Telehealth.CareRecord.Figures;

/// <summary>An alert raised in the period, with the first staff response from its event log.</summary>
/// <param name="FirstAcknowledgedAt">The first <c>acknowledged</c> event (a re-opened alert keeps its first response).</param>
public sealed record AlertFact(AlertCase Alert, DateTimeOffset? FirstAcknowledgedAt);
