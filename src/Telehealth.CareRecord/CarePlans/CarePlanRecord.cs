namespace Telehealth.CareRecord.CarePlans;

/// <summary>
/// A person's goals and care plan activities as they stand. <see cref="Version"/> counts every change to either
/// (0: nothing was ever set), so the FHIR CarePlan, which lists the goals, gets a new version whenever a goal changes.
/// </summary>
/// <param name="Goals">Every goal, cancelled ones included, oldest first.</param>
/// <param name="CreatedAt">When the first change was made; null at version 0.</param>
/// <param name="LastChange">The latest change to goals or activities; null at version 0.</param>
public sealed record CarePlanRecord(
    string PatientId,
    int Version,
    IReadOnlyList<CareGoal> Goals,
    IReadOnlyList<CareActivity> Activities,
    DateTimeOffset? CreatedAt,
    CarePlanChange? LastChange)
{
    public static CarePlanRecord Empty(string patientId) => new(patientId, 0, [], [], null, null);

    public CareGoal? Goal(Guid goalId) => Goals.FirstOrDefault(g => g.Id == goalId);
}
