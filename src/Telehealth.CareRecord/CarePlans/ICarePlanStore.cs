namespace Telehealth.CareRecord.CarePlans;

/// <summary>Each person's goals and care plan, and every saved version (who, when, why).</summary>
public interface ICarePlanStore
{
    /// <summary>The plan as it stands; <see cref="CarePlanRecord.Empty"/> when nothing was ever set.</summary>
    Task<CarePlanRecord> GetAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>The goal with its person, or null; for reads by goal id (the FHIR Goal).</summary>
    Task<CareGoal?> GetGoalAsync(Guid goalId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="next"/> (made by <see cref="CarePlanEditor"/>) with its revision in one step, only if the
    /// stored version is still the one before it (<c>next.Version - 1</c>); false when someone saved in between.
    /// </summary>
    Task<bool> SaveAsync(CarePlanRecord next, CarePlanRevision revision, CancellationToken cancellationToken = default);

    /// <summary>Every saved version, oldest first.</summary>
    Task<IReadOnlyList<CarePlanRevision>> GetHistoryAsync(string patientId, CancellationToken cancellationToken = default);
}
