namespace Telehealth.CareRecord.Monitoring;

/// <summary>Who changed a monitoring plan, when, and why (a reason is required: it is part of the care record).</summary>
public sealed record MonitoringPlanChange(string ChangedBy, string Reason, DateTimeOffset At);
