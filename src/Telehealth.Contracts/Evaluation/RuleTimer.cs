namespace Telehealth.Contracts.Evaluation;

/// <summary>A rule of a patient asked to be evaluated again at <see cref="WakeAt"/> even if no data comes.</summary>
/// <param name="RuleKey">The rule's key (its condition), e.g. <c>silence:dev-1</c>.</param>
public sealed record RuleTimer(string RuleKey, DateTimeOffset WakeAt);
