namespace Telehealth.Contracts.Evaluation;

/// <summary>A change to a person's care record that the rules depend on: re-evaluate them.</summary>
/// <param name="What">Which part changed: one of <see cref="CareRecordChanges"/>.</param>
/// <param name="At">When it changed (with <see cref="What"/> and the person, the change's identity in the queue).</param>
public sealed record CareRecordChange(string What, DateTimeOffset At);
