using Hl7.Fhir.Model;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Fhir.Mapping;
using Telehealth.Fhir.Server.Search;
using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Fhir.Server.Resources;

/// <summary>
/// Vital-sign Observations (from <see cref="IReadingStore"/>), telecare-event Observations (from
/// <see cref="ITelecareEventStore"/>) and ACVPU Observations (from <see cref="IConsciousnessStore"/>). Searches filter and order the stored records, page them, and map only the
/// page, each reading with the thresholds that were in force at its device time.
/// </summary>
public sealed class ObservationSource(
    FhirMapper mapper,
    ObservationCodes codes,
    IReadingStore readings,
    ITelecareEventStore events,
    IDeviceRegistry devices,
    IThresholdRepository thresholds,
    IConsciousnessStore consciousness) : IFhirResourceSource
{
    /// <summary>Most readings one search looks at; beyond it the client is told to narrow by date.</summary>
    public const int MaxReadingsPerSearch = 100_000;

    /// <summary>Most recent telecare events one search (or read) looks at.</summary>
    public const int MaxEventsPerSearch = 10_000;

    public ResourceType ResourceType => ResourceType.Observation;

    public bool SupportsDateSort => true;

    public IReadOnlyList<SearchParameterDefinition> SearchParameters { get; } =
    [
        new("patient", SearchParamType.Reference, "The patient the observations are about (required).", "http://hl7.org/fhir/SearchParameter/clinical-patient"),
        new("code", SearchParamType.Token, "LOINC code of the vital sign (e.g. http://loinc.org|8867-4, 85354-9 for the blood-pressure panel) or the telecare event code.", "http://hl7.org/fhir/SearchParameter/clinical-code"),
        new("category", SearchParamType.Token, "vital-signs, laboratory (glucose) or the telecare event category.", "http://hl7.org/fhir/SearchParameter/Observation-category"),
        new("date", SearchParamType.Date, "Device time of the measurement or event; prefixes eq, ne, gt, ge, lt, le, sa, eb; repeat to bound both ends.", "http://hl7.org/fhir/SearchParameter/clinical-date"),
    ];

    public async Task<Resource?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (FhirIds.TryParseConsciousnessObservationId(id, out var assessedPatientId, out var observedAt))
        {
            if (!await caller.CanSeeAsync(assessedPatientId, cancellationToken))
            {
                return null;
            }
            var assessments = await consciousness.RecentAsync(assessedPatientId, MaxEventsPerSearch, cancellationToken);
            return assessments.FirstOrDefault(a => a.ObservedAt == observedAt) is { } assessment ? mapper.ToObservation(assessment) : null;
        }
        if (!FhirIds.TryParseObservationId(id, out var key) || await devices.GetAsync(key.DeviceId, cancellationToken) is not { } device)
        {
            return null;
        }
        // Readings are stored under the person who had the device at the reading's own device time: follow the
        // assignment history, never the device's current person (it may have been reassigned since).
        var assignments = await devices.GetAssignmentsAsync(key.DeviceId, cancellationToken);
        if (assignments.PatientAt(key.DeviceTime) is not { } patientId || !await caller.CanSeeAsync(patientId, cancellationToken))
        {
            return null;
        }
        if (key.Kind == ObservationKeyKind.TelecareEvent)
        {
            var recent = await events.RecentForPatientAsync(patientId, MaxEventsPerSearch, cancellationToken);
            var telecareEvent = recent.FirstOrDefault(e => e.DeviceId == key.DeviceId && e.Type == key.EventType && e.DeviceTime == key.DeviceTime);
            return telecareEvent is null ? null : mapper.ToObservation(telecareEvent);
        }
        var kinds = key.ReadingKinds;
        var stored = await readings.QueryAsync(
            new ReadingQuery(patientId, kinds.Count == 1 ? kinds[0] : null, key.DeviceTime, EndOfMillisecond(key.DeviceTime), Limit: 100),
            cancellationToken);
        var matching = stored.Where(r => r.DeviceId == key.DeviceId && kinds.Contains(r.Kind)).ToList();
        if (matching.Count == 0)
        {
            return null;
        }
        var sourceTypes = new Dictionary<string, DeviceType?>(StringComparer.Ordinal) { [device.DeviceId] = device.Type };
        var observations = await MapReadingsAsync(patientId, matching, new ThresholdCache(thresholds, patientId), sourceTypes, cancellationToken);
        return observations.SingleOrDefault(o => o.Id == id);
    }

    public async Task<SearchPage> SearchAsync(SearchRequest request, FhirCaller caller, CancellationToken cancellationToken)
    {
        var patientId = SearchValues.RequiredPatientId(request, "Observation");
        var dates = SearchValues.Dates(request, "date");
        var codeFilters = SearchValues.Tokens(request, "code");
        var categoryFilters = SearchValues.Tokens(request, "category");
        if (!await caller.CanSeeAsync(patientId, cancellationToken))
        {
            return SearchPage.Empty;
        }

        bool Wanted(ObservationShape shape) =>
            codeFilters.All(alternatives => alternatives.Any(token => token.Matches(codes.CodeOf(shape))))
            && categoryFilters.All(alternatives => alternatives.Any(token => codes.CategoriesOf(shape).Any(token.Matches)));

        var warnings = new List<FhirProblem>();
        var (from, to) = DateSearchValue.Intersect(dates);
        var units = new List<ObservationUnit>();
        if (VitalKinds.All.Select(ObservationShape.Of).Any(Wanted))
        {
            var stored = await readings.QueryAsync(new ReadingQuery(patientId, null, from, to, MaxReadingsPerSearch), cancellationToken);
            if (stored.Count >= MaxReadingsPerSearch)
            {
                warnings.Add(new FhirProblem(OperationOutcome.IssueType.TooCostly,
                    $"Only the oldest {MaxReadingsPerSearch} readings in the date range were searched; narrow the search with date parameters.",
                    OperationOutcome.IssueSeverity.Warning));
            }
            units.AddRange(stored
                .Where(r => Wanted(ObservationShape.Of(r.Kind)))
                .GroupBy(FhirIds.Observation, StringComparer.Ordinal)
                .Select(g => new ObservationUnit(g.Key, g.First().DeviceTime, g.ToList(), null)));
        }
        if (TelecareEventTypes.All.Select(ObservationShape.Of).Any(Wanted))
        {
            var recent = await events.RecentForPatientAsync(patientId, MaxEventsPerSearch, cancellationToken);
            if (recent.Count >= MaxEventsPerSearch)
            {
                warnings.Add(new FhirProblem(OperationOutcome.IssueType.TooCostly,
                    $"Only the most recent {MaxEventsPerSearch} telecare events were searched.", OperationOutcome.IssueSeverity.Warning));
            }
            units.AddRange(recent
                .Where(e => Wanted(ObservationShape.Of(e.Type)))
                .Select(e => new ObservationUnit(FhirIds.Observation(e), e.DeviceTime, [], e)));
        }
        if (Wanted(ObservationShape.OfConsciousness))
        {
            var recent = await consciousness.RecentAsync(patientId, MaxEventsPerSearch, cancellationToken);
            if (recent.Count >= MaxEventsPerSearch)
            {
                warnings.Add(new FhirProblem(OperationOutcome.IssueType.TooCostly,
                    $"Only the most recent {MaxEventsPerSearch} consciousness assessments were searched.", OperationOutcome.IssueSeverity.Warning));
            }
            units.AddRange(recent.Select(a => new ObservationUnit(FhirIds.Observation(a), a.ObservedAt, [], null, a)));
        }
        var matches = units.Where(u => dates.All(d => d.Matches(u.Time)));
        var ordered = (request.Sort == SearchSort.DateAscending
            ? matches.OrderBy(u => u.Time).ThenBy(u => u.Id, StringComparer.Ordinal)
            : matches.OrderByDescending(u => u.Time).ThenByDescending(u => u.Id, StringComparer.Ordinal)).ToList();

        var thresholdCache = new ThresholdCache(thresholds, patientId);
        var sourceTypes = new Dictionary<string, DeviceType?>(StringComparer.Ordinal);
        return await SearchPage.OfAsync(ordered, request, async page =>
        {
            var resources = new List<Resource>(page.Count);
            foreach (var unit in page)
            {
                if (unit.Event is { } telecareEvent)
                {
                    resources.Add(mapper.ToObservation(telecareEvent));
                }
                else if (unit.Assessment is { } assessment)
                {
                    resources.Add(mapper.ToObservation(assessment));
                }
                else
                {
                    resources.AddRange(await MapReadingsAsync(patientId, unit.Readings, thresholdCache, sourceTypes, cancellationToken));
                }
            }
            return resources;
        }, warnings);
    }

    private async Task<IReadOnlyList<Observation>> MapReadingsAsync(
        string patientId, IReadOnlyList<Reading> unitReadings, ThresholdCache cache,
        Dictionary<string, DeviceType?> sourceTypes, CancellationToken cancellationToken)
    {
        await cache.LoadAsync(cancellationToken);
        foreach (var reading in unitReadings)
        {
            if (!sourceTypes.ContainsKey(reading.DeviceId))
            {
                sourceTypes[reading.DeviceId] = (await devices.GetAsync(reading.DeviceId, cancellationToken))?.Type;
            }
        }
        return mapper.ToObservations(unitReadings, cache.At, deviceId => sourceTypes[deviceId]);
    }

    // An id may name the last representable millisecond; the window is then left open rather than overflowing.
    private static DateTimeOffset? EndOfMillisecond(DateTimeOffset time) =>
        time < DateTimeOffset.MaxValue.AddMilliseconds(-1) ? time.AddMilliseconds(1) : null;

    /// <summary>Stored records that become one Observation: a reading, a BP pair, or an event.</summary>
    private sealed record ObservationUnit(string Id, DateTimeOffset Time, IReadOnlyList<Reading> Readings, TelecareEvent? Event, ConsciousnessObservation? Assessment = null);

    /// <summary>A patient's threshold timeline, read once per request and only when a reading is mapped.</summary>
    private sealed class ThresholdCache(IThresholdRepository repository, string patientId)
    {
        private ThresholdTimeline? _timeline;

        public async System.Threading.Tasks.Task LoadAsync(CancellationToken cancellationToken) =>
            _timeline ??= await repository.GetTimelineAsync(patientId, cancellationToken);

        /// <summary>The thresholds in force at the reading's device time: the rule the alert decision follows too.</summary>
        public ThresholdSet At(Reading reading) => (_timeline ?? throw new InvalidOperationException("Load first.")).At(reading.DeviceTime);
    }
}
