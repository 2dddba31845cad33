namespace Telehealth.CareRecord.Escalation;

/// <summary>Duty rotas, one per team.</summary>
public interface ITeamRotaStore
{
    /// <summary>The team's rota, or null when none has been set (escalation then has no one to climb to: see H19).</summary>
    Task<TeamRota?> GetAsync(string teamId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the team's rota.</summary>
    Task PutAsync(TeamRota rota, CancellationToken cancellationToken = default);
}
