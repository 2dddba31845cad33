namespace Telehealth.CareRecord.News2;

/// <summary>
/// A NEWS2 result. <see cref="ParameterScores"/> holds only the parameters that were measured;
/// <see cref="Missing"/> lists the rest, so a partial score is always shown as partial, never as a low score.
/// </summary>
public sealed record News2Score(
    int Total,
    IReadOnlyDictionary<News2Parameter, int> ParameterScores,
    IReadOnlyList<News2Parameter> Missing,
    News2Risk Risk)
{
    public bool IsPartial => Missing.Count > 0;
}
