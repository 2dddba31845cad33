namespace Telehealth.Contracts.Evaluation;

/// <summary>The parts of a care record whose change re-evaluates a person's rules.</summary>
public static class CareRecordChanges
{
    public const string CareSettings = "care_settings";
    public const string MonitoringPlan = "monitoring_plan";

    public static bool IsKnown(string what) => what is CareSettings or MonitoringPlan;
}
