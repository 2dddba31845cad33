using Hl7.Fhir.Model;
using Telehealth.Fhir.Server.Search;
using Telehealth.CareRecord.News2;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>NEWS2 scores as RiskAssessments, from <see cref="INews2AssessmentStore"/>; <c>date</c> is the score's observed time.</summary>
public sealed class RiskAssessmentSource(Mapping.FhirMapper mapper, INews2AssessmentStore assessments) : IFhirResourceSource
{
    public const int MaxAssessmentsPerSearch = 10_000;

    public ResourceType ResourceType => ResourceType.RiskAssessment;

    public bool SupportsDateSort => true;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient assessed (required).", "http://hl7.org/fhir/SearchParameter/clinical-patient"),
        new("date", SearchParamType.Date, "When the score applies (device time of its newest reading); prefixes eq, ne, gt, ge, lt, le, sa, eb.", "http://hl7.org/fhir/SearchParameter/clinical-date"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken)
    {
        var assessment = await assessments.GetAsync(id, cancellationToken);
        return assessment is not null && await caller.CanSeeAsync(assessment.PatientId, cancellationToken)
            ? mapper.ToRiskAssessment(assessment)
            : null;
    }

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var patientId = SearchValues.RequiredPatientId(request, "RiskAssessment");
        var dates = SearchValues.Dates(request, "date");
        if (!await caller.CanSeeAsync(patientId, cancellationToken))
        {
            return SearchPage.Empty;
        }
        var (from, to) = DateSearchValue.Intersect(dates);
        var stored = await assessments.ListAsync(patientId, from, to, MaxAssessmentsPerSearch, cancellationToken);
        var matches = stored.Where(a => dates.All(d => d.Matches(a.ObservedAt)));
        var ordered = (request.Sort == SearchSort.DateAscending
            ? matches.OrderBy(a => a.ObservedAt).ThenBy(a => a.Id, StringComparer.Ordinal)
            : matches.OrderByDescending(a => a.ObservedAt).ThenByDescending(a => a.Id, StringComparer.Ordinal)).ToList();
        IReadOnlyList<FhirProblem> warnings = stored.Count >= MaxAssessmentsPerSearch
            ? [new FhirProblem(OperationOutcome.IssueType.TooCostly, $"Only the newest {MaxAssessmentsPerSearch} assessments were searched; narrow with date.", OperationOutcome.IssueSeverity.Warning)]
            : [];
        return await SearchPage.OfAsync(ordered, request,
            page => System.Threading.Tasks.Task.FromResult<IReadOnlyList<Resource>>(page.Select(a => (Resource)mapper.ToRiskAssessment(a)).ToList()), warnings);
    }
}
