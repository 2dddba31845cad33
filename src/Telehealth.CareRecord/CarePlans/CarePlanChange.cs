namespace Telehealth.CareRecord.CarePlans;

/// <summary>Who changed a person's goals or care plan, when, and why (a reason is required: it is part of the care record).</summary>
public sealed record CarePlanChange(string ChangedBy, string Reason, DateTimeOffset At);
