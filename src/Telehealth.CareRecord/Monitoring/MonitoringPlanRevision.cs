namespace Telehealth.CareRecord.Monitoring;

/// <summary>One saved version of a person's plan, with its change.</summary>
public sealed record MonitoringPlanRevision(int Sequence, MonitoringPlan Plan, MonitoringPlanChange Change);
