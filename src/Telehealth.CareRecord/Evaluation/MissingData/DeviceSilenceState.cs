namespace Telehealth.CareRecord.Evaluation.MissingData;

/// <param name="LastHeardAt">Latest effective time of anything from the device (status, reading, event).</param>
/// <param name="DeclaredInterval">The heartbeat interval the device last declared in its status.</param>
public sealed record DeviceSilenceState(DateTimeOffset? LastHeardAt = null, TimeSpan? DeclaredInterval = null);
