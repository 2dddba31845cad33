namespace Telehealth.CareRecord.News2;

/// <summary>Every NEWS2 score computed, with its basis: the record behind RiskAssessment resources and service figures.</summary>
public interface INews2AssessmentStore
{
    /// <returns>True when stored, false when an assessment with the same id (same patient and basis) exists.</returns>
    Task<bool> AppendAsync(News2Assessment assessment, CancellationToken cancellationToken = default);

    /// <summary>Several assessments (one evaluation pass) in one transaction; each stored unless its id exists.</summary>
    /// <returns>How many were stored.</returns>
    Task<int> AppendManyAsync(IReadOnlyList<News2Assessment> assessments, CancellationToken cancellationToken = default);

    Task<News2Assessment?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>A patient's assessments, newest observed first; From inclusive, To exclusive on ObservedAt.</summary>
    Task<IReadOnlyList<News2Assessment>> ListAsync(string patientId, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100, CancellationToken cancellationToken = default);
}
