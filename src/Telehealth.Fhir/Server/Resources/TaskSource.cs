using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>Follow-up calls for red flags as Tasks (only alerts that need a call have one); <c>status</c> follows the alert's lifecycle.</summary>
public sealed class TaskSource(FhirMapper mapper, AlertResources alerts) : IFhirResourceSource
{
    public ResourceType ResourceType => ResourceType.Task;

    public bool SupportsDateSort => true;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient the call is for; without it, every task of the caller's team.", "http://hl7.org/fhir/SearchParameter/Task-patient"),
        new("status", SearchParamType.Token, "Task status, e.g. requested, in-progress, completed.", "http://hl7.org/fhir/SearchParameter/Task-status"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        FhirIds.TryParseTaskId(id, out var alertId) && await alerts.GetVisibleAsync(alertId, caller, cancellationToken) is { } alert
            ? mapper.ToTask(alert)
            : null;

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var statuses = SearchValues.Tokens(request, "status");
        var found = await alerts.SearchVisibleAsync(request, caller, cancellationToken);
        var matches = found
            .Select(mapper.ToTask)
            .OfType<Hl7.Fhir.Model.Task>()
            .Where(task => statuses.All(alternatives => alternatives.Any(token => token.MatchesCode(task.Status?.GetLiteral()))))
            .ToList<Resource>();
        return SearchPage.Of(matches, request);
    }
}
