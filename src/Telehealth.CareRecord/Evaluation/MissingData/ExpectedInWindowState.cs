namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <param name="LastSeenAt">Latest effective time of what is expected (a reading of the kind, movement).</param>
public sealed record ExpectedInWindowState(DateTimeOffset? LastSeenAt = null);
