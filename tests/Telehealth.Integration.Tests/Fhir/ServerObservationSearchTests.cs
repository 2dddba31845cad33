using System.Net;
using Hl7.Fhir.Model;
using Telehealth.Fhir.Mapping;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>
/// Observation search and read against readings and events that arrived over MQTT. Each observation is named
/// "{first code}@{hours after Day}" so a row states exactly which observations a query must return.
/// </summary>
public sealed class ServerObservationSearchTests(ServerObservationFixture fixture) : IClassFixture<ServerObservationFixture>
{
    private const string Everything =
        "2708-6@8 2708-6@12 2708-6@32 8867-4@8 8867-4@12 8867-4@32 85354-9@9 85354-9@33 8310-5@10 14743-9@31 fall_detected@34";

    private HttpClient Staff => fixture.Staff;

    [Theory]
    [InlineData("", Everything)]
    [InlineData("&code=http://loinc.org|8867-4", "8867-4@8 8867-4@12 8867-4@32")]
    [InlineData("&code=8867-4", "8867-4@8 8867-4@12 8867-4@32")]
    [InlineData("&code=59408-5", "2708-6@8 2708-6@12 2708-6@32")]
    [InlineData("&code=urn:iso:std:iso:11073:10101|150456", "2708-6@8 2708-6@12 2708-6@32")]
    [InlineData("&code=http://snomed.info/sct|8867-4", "")]
    [InlineData("&code=85354-9", "85354-9@9 85354-9@33")]
    [InlineData("&code=http://loinc.org|2708-6,http://loinc.org|8310-5", "2708-6@8 2708-6@12 2708-6@32 8310-5@10")]
    [InlineData("&code=" + TelehealthSystems.TelecareEventCodeSystem + "|fall_detected", "fall_detected@34")]
    [InlineData("&code=8867-4&code=2708-6", "")]
    [InlineData("&category=vital-signs", "2708-6@8 2708-6@12 2708-6@32 8867-4@8 8867-4@12 8867-4@32 85354-9@9 85354-9@33 8310-5@10")]
    [InlineData("&category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory", "14743-9@31")]
    [InlineData("&category=" + TelehealthSystems.ObservationCategoryCodeSystem + "|telecare-event", "fall_detected@34")]
    [InlineData("&category=activity", "fall_detected@34")]
    [InlineData("&category=vital-signs&code=8310-5", "8310-5@10")]
    [InlineData("&date={D}", "2708-6@8 2708-6@12 8867-4@8 8867-4@12 85354-9@9 8310-5@10")]
    [InlineData("&date=eq{D}", "2708-6@8 2708-6@12 8867-4@8 8867-4@12 85354-9@9 8310-5@10")]
    [InlineData("&date=ne{D}", "2708-6@32 8867-4@32 85354-9@33 14743-9@31 fall_detected@34")]
    [InlineData("&date=gt{D}", "2708-6@32 8867-4@32 85354-9@33 14743-9@31 fall_detected@34")]
    [InlineData("&date=sa{D}", "2708-6@32 8867-4@32 85354-9@33 14743-9@31 fall_detected@34")]
    [InlineData("&date=lt{D1}", "2708-6@8 2708-6@12 8867-4@8 8867-4@12 85354-9@9 8310-5@10")]
    [InlineData("&date=eb{D1}", "2708-6@8 2708-6@12 8867-4@8 8867-4@12 85354-9@9 8310-5@10")]
    [InlineData("&date=ge{D1T08}", "2708-6@32 8867-4@32 85354-9@33 fall_detected@34")]
    [InlineData("&date=gt{D1T08}", "85354-9@33 fall_detected@34")]
    [InlineData("&date=lt{D1T08}", "2708-6@8 2708-6@12 8867-4@8 8867-4@12 85354-9@9 8310-5@10 14743-9@31")]
    [InlineData("&date=le{D1T08}", "2708-6@8 2708-6@12 8867-4@8 8867-4@12 85354-9@9 8310-5@10 14743-9@31 2708-6@32 8867-4@32")]
    [InlineData("&date=ge{DT09}&date=lt{DT12}", "85354-9@9 8310-5@10")]
    [InlineData("&date={D1T08min}", "2708-6@32 8867-4@32")]
    [InlineData("&date=ge{D1}&code=8867-4", "8867-4@32")]
    public async System.Threading.Tasks.Task Search_returns_exactly_the_matching_observations(string filter, string expected)
    {
        var query = filter
            .Replace("{D1T08min}", (fixture.Day.AddDays(1).AddHours(8)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{D1T08}", ServerObservationFixture.At(fixture.Day.AddDays(1).AddHours(8)))
            .Replace("{DT09}", ServerObservationFixture.At(fixture.Day.AddHours(9)))
            .Replace("{DT12}", ServerObservationFixture.At(fixture.Day.AddHours(12)))
            .Replace("{D1}", ServerObservationFixture.DayOf(fixture.Day.AddDays(1)))
            .Replace("{D}", ServerObservationFixture.DayOf(fixture.Day));

        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={fixture.PatientId}{query.Replace("|", "%7C")}&_count=500");

        var expectedLabels = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
        Assert.Equal(expectedLabels.Length, bundle.Total);
        Assert.Equal(expectedLabels, bundle.Matches<Observation>().Select(Label).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async System.Threading.Tasks.Task Every_entry_has_its_full_url_and_reads_back_identically_by_id()
    {
        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={fixture.PatientId}&_count=500");

        Assert.Equal(ServerObservationFixture.ObservationCount, bundle.Entry.Count);
        foreach (var entry in bundle.Entry)
        {
            Assert.Equal(Bundle.SearchEntryMode.Match, entry.Search!.Mode);
            Assert.Equal($"{fixture.Platform.BaseAddress.ToString().TrimEnd('/')}/fhir/Observation/{entry.Resource!.Id}", entry.FullUrl);
            var read = await Staff.GetOkAsync<Observation>($"/fhir/Observation/{entry.Resource.Id}");
            Assert.Equal(ServerFhirClient.Serialize(entry.Resource), ServerFhirClient.Serialize(read));
            Assert.Equal($"Patient/{fixture.PatientId}", read.Subject!.Reference);
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task The_blood_pressure_reading_is_one_panel_with_both_components_and_no_value()
    {
        var day = ServerObservationFixture.DayOf(fixture.Day);
        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={fixture.PatientId}&code=http://loinc.org%7C85354-9&date={day}");

        var panel = Assert.Single(bundle.Matches<Observation>());
        Assert.Null(panel.Value);
        Assert.Equal(["8480-6", "8462-4"], panel.Component.Select(c => c.Code.Coding[0].Code!).ToArray());
        Assert.Equal([128m, 82m], panel.Component.Select(c => ((Quantity)c.Value!).Value!.Value).ToArray());
        Assert.All(panel.Component, c => Assert.Equal("mm[Hg]", ((Quantity)c.Value!).Code));
        Assert.Equal(fixture.Day.AddHours(9), ((FhirDateTime)panel.Effective!).ToDateTimeOffset(TimeSpan.Zero));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(11)]
    [InlineData(50)]
    public async System.Threading.Tasks.Task Following_next_links_visits_every_observation_exactly_once_newest_first(int count)
    {
        var (resources, pages) = await Staff.SearchAllAsync($"/fhir/Observation?patient={fixture.PatientId}&_count={count}");

        Assert.Equal((ServerObservationFixture.ObservationCount + count - 1) / count, pages.Count);
        Assert.All(pages, page => Assert.Equal(ServerObservationFixture.ObservationCount, page.Total));
        Assert.All(pages.SkipLast(1), page => Assert.Equal(count, page.Entry.Count));
        Assert.Equal(ServerObservationFixture.ObservationCount, resources.Count);
        Assert.Equal(ServerObservationFixture.ObservationCount, resources.Select(r => r.Id).Distinct().Count());
        var times = resources.Select(EffectiveOf).ToList();
        Assert.Equal(times.OrderDescending().ToList(), times);
        Assert.All(pages, page => Assert.StartsWith(fixture.Platform.BaseAddress.ToString().TrimEnd('/') + "/fhir/Observation?", page.Link.Single(l => l.Relation == "self").Url));
        Assert.Null(pages[0].Link.SingleOrDefault(l => l.Relation == "previous"));
        Assert.All(pages.Skip(1), page => Assert.NotNull(page.Link.SingleOrDefault(l => l.Relation == "previous")));
        Assert.Null(pages[^1].Link.SingleOrDefault(l => l.Relation == "next"));
    }

    [Fact]
    public async System.Threading.Tasks.Task Previous_links_lead_back_to_the_first_page()
    {
        var first = await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={fixture.PatientId}&_count=4");
        var second = await Staff.GetOkAsync<Bundle>(first.Link.Single(l => l.Relation == "next").Url!);
        var back = await Staff.GetOkAsync<Bundle>(second.Link.Single(l => l.Relation == "previous").Url!);

        Assert.Equal(first.Entry.Select(e => e.Resource!.Id), back.Entry.Select(e => e.Resource!.Id));
        Assert.Empty(first.Entry.Select(e => e.Resource!.Id).Intersect(second.Entry.Select(e => e.Resource!.Id)));
    }

    [Theory]
    [InlineData("&_sort=date", false)]
    [InlineData("&_sort=-date", true)]
    [InlineData("", true)]
    public async System.Threading.Tasks.Task Sort_orders_by_device_time(string sort, bool newestFirst)
    {
        var (resources, _) = await Staff.SearchAllAsync($"/fhir/Observation?patient={fixture.PatientId}{sort}&_count=3");

        var times = resources.Select(EffectiveOf).ToList();
        Assert.Equal(ServerObservationFixture.ObservationCount, times.Count);
        Assert.Equal(newestFirst ? times.OrderDescending().ToList() : times.Order().ToList(), times);
        Assert.Equal(newestFirst ? fixture.Day.AddHours(34) : fixture.Day.AddHours(8), times[0]);
    }

    [Fact]
    public async System.Threading.Tasks.Task Another_team_finds_nothing_and_reads_404()
    {
        var ours = await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={fixture.PatientId}&_count=1");
        var observationId = ours.Entry[0].Resource!.Id;

        var search = await fixture.OtherTeam.GetOkAsync<Bundle>($"/fhir/Observation?patient={fixture.PatientId}");
        Assert.Equal(0, search.Total);
        Assert.Empty(search.Entry);
        foreach (var path in new[] { $"/fhir/Observation/{observationId}", $"/fhir/Patient/{fixture.PatientId}", $"/fhir/Device/{fixture.OximeterId}" })
        {
            var outcome = await fixture.OtherTeam.GetOutcomeAsync(path, HttpStatusCode.NotFound);
            Assert.Equal(OperationOutcome.IssueType.NotFound, Assert.Single(outcome.Issue).Code);
        }
        Assert.Equal(0, (await fixture.OtherTeam.GetOkAsync<Bundle>($"/fhir/Device?patient={fixture.PatientId}")).Total);
        Assert.Equal(0, (await fixture.OtherTeam.GetOkAsync<Bundle>("/fhir/Device")).Total);
        Assert.Equal(0, (await fixture.OtherTeam.GetOkAsync<Bundle>($"/fhir/Patient?_id={fixture.PatientId}")).Total);
        Assert.Equal(0, (await fixture.OtherTeam.GetOkAsync<Bundle>($"/fhir/Flag?patient={fixture.PatientId}")).Total);
        Assert.Equal(0, (await fixture.OtherTeam.GetOkAsync<Bundle>($"/fhir/RiskAssessment?patient={fixture.PatientId}")).Total);
        Assert.Equal(1, (await Staff.GetOkAsync<Bundle>($"/fhir/Patient?_id={fixture.PatientId}")).Total);
    }

    [Fact]
    public async System.Threading.Tasks.Task Devices_of_the_patient_are_found_and_read()
    {
        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/Device?patient={fixture.PatientId}");

        Assert.Equal(5, bundle.Total);
        Assert.All(bundle.Matches<Device>(), d => Assert.Equal($"Patient/{fixture.PatientId}", d.Patient!.Reference));
        var oximeter = await Staff.GetOkAsync<Device>($"/fhir/Device/{fixture.OximeterId}");
        Assert.Equal(fixture.OximeterId, oximeter.Id);
    }

    private static DateTimeOffset EffectiveOf(Resource resource) => ((FhirDateTime)((Observation)resource).Effective!).ToDateTimeOffset(TimeSpan.Zero);

    private string Label(Observation observation) =>
        $"{observation.Code.Coding[0].Code}@{(EffectiveOf(observation) - fixture.Day).TotalHours:0.###}";
}
