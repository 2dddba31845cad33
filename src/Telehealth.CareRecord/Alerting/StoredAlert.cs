namespace Telehealth.CareRecord.Alerting;

/// <summary>An alert as stored, with its version: the store adds one on every write, so a decision taken on this
/// reading can be recorded only while nobody else (in any process) has changed the alert since.</summary>
public sealed record StoredAlert(AlertCase Alert, long Version);
