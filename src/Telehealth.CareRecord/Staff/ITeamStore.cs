namespace Telehealth.CareRecord.Staff;

/// <summary>Teams: a name and a generated id. A team id that staff already carry is a known team too.</summary>
public interface ITeamStore
{
    /// <summary>The new team's id, or null when a team of that name (ignoring case) exists.</summary>
    Task<string?> CreateAsync(string name, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string teamId, CancellationToken cancellationToken = default);

    /// <summary>Every known team, by name.</summary>
    Task<IReadOnlyList<TeamRecord>> ListAsync(CancellationToken cancellationToken = default);
}
