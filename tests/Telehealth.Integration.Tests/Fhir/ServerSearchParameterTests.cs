using Hl7.Fhir.Model;
using Telehealth.Fhir.Server;
using Telehealth.Fhir.Server.Search;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>The search value rules on their own: date ranges and prefixes, tokens, and strict parameter handling.</summary>
public sealed class ServerSearchParameterTests
{
    [Theory]
    [InlineData("2025", "2025-01-01T00:00:00.0000000+00:00", "2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("2025-02", "2025-02-01T00:00:00.0000000+00:00", "2025-03-01T00:00:00.0000000+00:00")]
    [InlineData("2024-02-29", "2024-02-29T00:00:00.0000000+00:00", "2024-03-01T00:00:00.0000000+00:00")]
    [InlineData("2025-03-01T10:15Z", "2025-03-01T10:15:00.0000000+00:00", "2025-03-01T10:16:00.0000000+00:00")]
    [InlineData("2025-03-01T10:15:30", "2025-03-01T10:15:30.0000000+00:00", "2025-03-01T10:15:31.0000000+00:00")]
    [InlineData("2025-03-01T10:15:30.25Z", "2025-03-01T10:15:30.2500000+00:00", "2025-03-01T10:15:30.2600000+00:00")]
    [InlineData("2025-03-01T10:15:30.250Z", "2025-03-01T10:15:30.2500000+00:00", "2025-03-01T10:15:30.2510000+00:00")]
    [InlineData("2025-03-01T11:15:30.250+01:00", "2025-03-01T10:15:30.2500000+00:00", "2025-03-01T10:15:30.2510000+00:00")]
    [InlineData("2025-03-01T11:15:30.250 01:00", "2025-03-01T10:15:30.2500000+00:00", "2025-03-01T10:15:30.2510000+00:00")]
    [InlineData("2025-03-01T05:15:30-05:00", "2025-03-01T10:15:30.0000000+00:00", "2025-03-01T10:15:31.0000000+00:00")]
    public void A_date_stands_for_the_whole_range_of_its_precision(string text, string start, string end)
    {
        Assert.True(DateSearchValue.TryParse(text, out var value, out var error), error);

        Assert.Equal(DatePrefix.Eq, value!.Prefix);
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), value.Start);
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), value.End);
    }

    [Theory]
    [InlineData("")]
    [InlineData("25")]
    [InlineData("2025-13")]
    [InlineData("2025-02-30")]
    [InlineData("2025-03-01T25:00Z")]
    [InlineData("2025-03-01T10")]
    [InlineData("2025-03-01 10:00")]
    [InlineData("xx2025")]
    [InlineData("ap2025")]
    [InlineData("today")]
    public void Malformed_dates_are_refused_with_a_reason(string text)
    {
        Assert.False(DateSearchValue.TryParse(text, out var value, out var error));
        Assert.Null(value);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    // The value is the day 2025-03-01; instants just before, at the start, inside, at the last tick and at the next day.
    [Theory]
    [InlineData("eq", false, true, true, true, false)]
    [InlineData("ne", true, false, false, false, true)]
    [InlineData("gt", false, false, false, false, true)]
    [InlineData("sa", false, false, false, false, true)]
    [InlineData("ge", false, true, true, true, true)]
    [InlineData("lt", true, false, false, false, false)]
    [InlineData("eb", true, false, false, false, false)]
    [InlineData("le", true, true, true, true, false)]
    public void Prefixes_compare_an_instant_with_the_range(string prefix, bool before, bool atStart, bool inside, bool atLastTick, bool nextDay)
    {
        Assert.True(DateSearchValue.TryParse(prefix + "2025-03-01", out var value, out _));
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

        bool[] actual =
        [
            value!.Matches(start.AddMilliseconds(-1)), value.Matches(start), value.Matches(start.AddHours(13)),
            value.Matches(start.AddDays(1).AddTicks(-1)), value.Matches(start.AddDays(1)),
        ];

        Assert.Equal([before, atStart, inside, atLastTick, nextDay], actual);
        var (from, to) = value.Window;
        Assert.All(
            new[] { start.AddMilliseconds(-1), start, start.AddHours(13), start.AddDays(1).AddTicks(-1), start.AddDays(1) }.Where(value.Matches),
            instant => Assert.True((from is null || instant >= from) && (to is null || instant < to), $"{instant:O} matches but lies outside the store window"));
    }

    [Fact]
    public void Repeated_dates_narrow_the_store_window_to_their_intersection()
    {
        DateSearchValue Parse(string text) => DateSearchValue.TryParse(text, out var value, out _) ? value! : throw new InvalidOperationException(text);

        var (from, to) = DateSearchValue.Intersect([Parse("ge2025-03-01"), Parse("lt2025-03-10"), Parse("gt2025-02"), Parse("ne2025-03-05")]);

        Assert.Equal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), from);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 0, 0, 0, TimeSpan.Zero), to);
    }

    [Theory]
    [InlineData("8867-4", null, "8867-4")]
    [InlineData("http://loinc.org|8867-4", "http://loinc.org", "8867-4")]
    [InlineData("|active", "", "active")]
    [InlineData("http://loinc.org|", "http://loinc.org", null)]
    [InlineData(@"urn:x|a\|b", "urn:x", "a|b")]
    public void Tokens_read_system_and_code(string text, string? system, string? code)
    {
        Assert.Equal(new TokenSearchValue(system, code), TokenSearchValue.Parse(text));
    }

    [Theory]
    [InlineData("http://loinc.org|8867-4", true)]
    [InlineData("8867-4", true)]
    [InlineData("http://loinc.org|", true)]
    [InlineData("http://snomed.info/sct|8867-4", false)]
    [InlineData("|8867-4", false)]
    [InlineData("2708-6", false)]
    public void Tokens_match_codings(string text, bool matches)
    {
        Assert.Equal(matches, TokenSearchValue.Parse(text).Matches(new CodeableConcept("http://loinc.org", "8867-4")));
    }

    [Fact]
    public void Alternatives_split_on_unescaped_commas_only()
    {
        Assert.Equal(["a", @"b\,c", "d"], TokenSearchValue.SplitAlternatives(@"a,b\,c,d"));
    }

    private static readonly SearchParameterDefinition[] Supported =
    [
        new("patient", SearchParamType.Reference, "p"),
        new("date", SearchParamType.Date, "d"),
    ];

    [Theory]
    [InlineData("", 50, 0, SearchSort.DateDescending, false)]
    [InlineData("_count=10&_offset=20&_sort=date", 10, 20, SearchSort.DateAscending, true)]
    [InlineData("_count=501", 500, 0, SearchSort.DateDescending, false)]
    [InlineData("_sort=-date&_format=json&_pretty=true", 50, 0, SearchSort.DateDescending, true)]
    [InlineData("patient=&date=", 50, 0, SearchSort.DateDescending, false)]
    public void Result_controls_have_defaults_and_limits(string query, int count, int offset, SearchSort sort, bool sortGiven)
    {
        var request = SearchRequestParser.Parse(Query(query), Supported, lenient: false);

        Assert.Equal((count, offset, sort, sortGiven), (request.Count, request.Offset, request.Sort, request.SortGiven));
        Assert.Empty(request.Parameters);
    }

    [Theory]
    [InlineData("colour=red&patient=p&shape=round&colour=blue", "colour, shape")]
    [InlineData("_count=0&_offset=-1&_sort=name", "_count|_offset|_sort")]
    [InlineData("_count=5&_count=6", "_count")]
    public void Strict_handling_reports_every_problem_at_once(string query, string mentioned)
    {
        var problem = Assert.Throws<FhirServerException>(() => SearchRequestParser.Parse(Query(query), Supported, lenient: false));

        Assert.Equal(400, problem.StatusCode);
        var diagnostics = string.Join(" ", problem.Problems.Select(p => p.Diagnostics));
        Assert.All(mentioned.Split('|'), part => Assert.Contains(part, diagnostics));
        Assert.Equal(mentioned.Split('|').Length, problem.Problems.Count);
    }

    [Fact]
    public void Lenient_handling_keeps_known_parameters_in_order_and_lists_the_ignored()
    {
        var request = SearchRequestParser.Parse(Query("colour=red&patient=p&date=ge2025&date=lt2026"), Supported, lenient: true);

        Assert.Equal([new("patient", "p"), new("date", "ge2025"), new("date", "lt2026")], request.Parameters);
        Assert.Equal(["colour"], request.Ignored);
    }

    [Theory]
    [InlineData("handling=lenient", true)]
    [InlineData("return=minimal, handling=lenient", true)]
    [InlineData("handling=strict", false)]
    [InlineData("", false)]
    public void Lenient_handling_is_asked_for_with_prefer(string prefer, bool lenient)
    {
        Assert.Equal(lenient, SearchRequestParser.IsLenient([prefer]));
    }

    [Theory]
    [InlineData("pat-abc", "pat-abc")]
    [InlineData("Patient/pat-abc", "pat-abc")]
    [InlineData("http://host/fhir/Patient/pat-abc", "pat-abc")]
    public void Patient_references_name_the_patient(string value, string id)
    {
        Assert.Equal(id, PatientReference.ParseId(value));
    }

    [Theory]
    [InlineData("Device/dev-1")]
    [InlineData("Patient/")]
    public void Other_references_are_refused(string value)
    {
        Assert.Equal(400, Assert.Throws<FhirServerException>(() => PatientReference.ParseId(value)).StatusCode);
    }

    private static IEnumerable<KeyValuePair<string, string?[]>> Query(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).Select(q => new KeyValuePair<string, string?[]>(q.Key, q.Value.ToArray()));
}
