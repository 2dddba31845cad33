using Telehealth.Contracts.Evaluation;

namespace Telehealth.Alerts.Engine;

/// <summary>One patient's share of an evaluation pass: the due items claimed for them, in any order (they are evaluated in queue order).</summary>
public sealed record PatientDueItems(string PatientId, IReadOnlyList<DueItem> Items);
