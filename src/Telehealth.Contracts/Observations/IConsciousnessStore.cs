namespace Telehealth.Contracts.Observations;

/// <summary>ACVPU assessments (staff and devices). Identity is (PatientId, ObservedAt to the millisecond).</summary>
public interface IConsciousnessStore
{
    /// <summary>Creates tables when missing. Safe to call more than once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the assessment unless one of the same identity is stored. An identical repeat (same level and source)
    /// answers <see cref="ConsciousnessAppendResult.Repeat"/>; a different one answers
    /// <see cref="ConsciousnessAppendResult.Conflict"/> and the stored one stands (which was meant cannot be known).
    /// </summary>
    Task<ConsciousnessAppendResult> AppendAsync(ConsciousnessObservation observation, CancellationToken cancellationToken = default);

    /// <summary>
    /// The person's latest assessment by observation time (NEWS2 consciousness), or null when none is stored. The
    /// caller judges whether it is recent enough (the NEWS2 window).
    /// </summary>
    Task<ConsciousnessObservation?> LatestAsync(string patientId, CancellationToken cancellationToken = default);

    /// <summary>The person's assessments, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ConsciousnessObservation>> RecentAsync(string patientId, int limit, CancellationToken cancellationToken = default);
}
