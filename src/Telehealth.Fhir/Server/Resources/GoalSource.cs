using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Telehealth.CareRecord.CarePlans;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>People's goals, visible when the person is on the caller's team; oldest first; <c>lifecycle-status</c> filters.</summary>
public sealed class GoalSource(ICarePlanStore plans) : IFhirResourceSource
{
    public ResourceType ResourceType => ResourceType.Goal;

    public bool SupportsDateSort => false;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The person the goal is for; without it, every goal of the caller's team.", "http://hl7.org/fhir/SearchParameter/clinical-patient"),
        new("lifecycle-status", SearchParamType.Token, "proposed | active | completed | cancelled.", "http://hl7.org/fhir/SearchParameter/Goal-lifecycle-status"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        FhirIds.TryParseGoalId(id, out var goalId) && await plans.GetGoalAsync(goalId, cancellationToken) is { } goal
            && await caller.CanSeeAsync(goal.PatientId, cancellationToken)
            ? CarePlanResources.ToGoal(goal)
            : null;

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var statuses = SearchValues.Tokens(request, "lifecycle-status");
        var goals = new List<CareGoal>();
        foreach (var patientId in await CarePlanSource.VisiblePatientsAsync(request, caller, cancellationToken))
        {
            goals.AddRange((await plans.GetAsync(patientId, cancellationToken)).Goals);
        }
        var matches = goals
            .OrderBy(g => g.CreatedAt).ThenBy(g => g.Id)
            .Select(CarePlanResources.ToGoal)
            .Where(goal => statuses.All(alternatives => alternatives.Any(token => token.MatchesCode(goal.LifecycleStatus?.GetLiteral()))))
            .ToList<Resource>();
        return SearchPage.Of(matches, request);
    }
}
