using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;
using FhirTask = Hl7.Fhir.Model.Task;
using Task = System.Threading.Tasks.Task;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>The /fhir endpoint's metadata, authentication, errors, and the resources around readings (RiskAssessment, Flag, Task, Patient).</summary>
public sealed class ServerEndpointTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;
    private HttpClient Staff => fixture.Staff;

    [Fact]
    public async Task Metadata_is_an_active_instance_capability_statement_for_r4_json_open_to_anyone()
    {
        using var anonymous = Platform.CreateAnonymousClient();

        var (status, resource, mediaType) = await anonymous.GetFhirAsync("/fhir/metadata");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/fhir+json", mediaType);
        var capabilities = Assert.IsType<CapabilityStatement>(resource);
        Assert.Equal(PublicationStatus.Active, capabilities.Status);
        Assert.Equal(CapabilityStatementKind.Instance, capabilities.Kind);
        Assert.Equal(FHIRVersion.N4_0_1, capabilities.FhirVersion);
        Assert.Equal(["json"], capabilities.Format);
        var rest = Assert.Single(capabilities.Rest);
        Assert.Equal(CapabilityStatement.RestfulCapabilityMode.Server, rest.Mode);
        Assert.Equal(["CarePlan", "Device", "Flag", "Goal", "Observation", "Patient", "RiskAssessment", "Task"], rest.Resource.Select(r => r.Type!).ToArray());
        Assert.All(rest.Resource, r => Assert.Equal(
            [CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType],
            r.Interaction.Select(i => i.Code!.Value).ToArray()));
        string[] ParametersOf(string type) => rest.Resource.Single(r => r.Type == type).SearchParam.Select(p => p.Name!).ToArray();
        Assert.Equal(["patient", "code", "category", "date"], ParametersOf("Observation"));
        Assert.Equal(["patient", "date"], ParametersOf("RiskAssessment"));
        Assert.Equal(["patient", "lifecycle-status"], ParametersOf("Goal"));
        Assert.Equal(["patient"], ParametersOf("CarePlan"));
        Assert.Equal(["patient", "status"], ParametersOf("Flag"));
        Assert.Equal(["patient", "status"], ParametersOf("Task"));
        Assert.Equal(["patient"], ParametersOf("Device"));
        Assert.Equal(["_id", "identifier"], ParametersOf("Patient"));
        Assert.Equal(SearchParamType.Date, rest.Resource.Single(r => r.Type == "Observation").SearchParam.Single(p => p.Name == "date").Type);
    }

    [Theory]
    [InlineData("/fhir/Observation?patient=pat-x")]
    [InlineData("/fhir/Observation/dev-x.hr.1")]
    [InlineData("/fhir/Patient")]
    [InlineData("/fhir/Flag")]
    [InlineData("/fhir/Unknown")]
    public async Task Data_needs_a_staff_token(string path)
    {
        using var anonymous = Platform.CreateAnonymousClient();

        var outcome = await anonymous.GetOutcomeAsync(path, HttpStatusCode.Unauthorized);

        Assert.Equal(OperationOutcome.IssueType.Login, Assert.Single(outcome.Issue).Code);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not.a.token");
        await anonymous.GetOutcomeAsync(path, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("/fhir/Observation", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Required, "patient")]
    [InlineData("/fhir/Observation?patient={P}&colour=red&flavour=x", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported, "colour, flavour")]
    [InlineData("/fhir/Observation?patient={P}&code:text=pulse", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported, "code:text")]
    [InlineData("/fhir/Observation?patient={P}&date=2025-13-01", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "2025-13-01")]
    [InlineData("/fhir/Observation?patient={P}&date=xx2025", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "unknown prefix")]
    [InlineData("/fhir/Observation?patient={P}&date=2025-02-30", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "not a real date")]
    [InlineData("/fhir/Observation?patient={P}&_sort=code", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported, "_sort")]
    [InlineData("/fhir/Observation?patient={P}&_count=0", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "_count")]
    [InlineData("/fhir/Observation?patient={P}&_count=ten", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Invalid, "_count")]
    [InlineData("/fhir/RiskAssessment", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.Required, "patient")]
    [InlineData("/fhir/Patient?_sort=date", null, HttpStatusCode.BadRequest, OperationOutcome.IssueType.NotSupported, "_sort")]
    [InlineData("/fhir/Encounter", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported, "Encounter")]
    [InlineData("/fhir/Encounter/e1", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported, "Encounter")]
    [InlineData("/fhir/Observation/not-an-observation", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, "Observation/not-an-observation")]
    [InlineData("/fhir/Observation/dev-nobody.hr.1700000000000", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, "dev-nobody")]
    [InlineData("/fhir/Flag/alert-00000000000000000000000000000001", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, "Flag/")]
    [InlineData("/fhir/RiskAssessment/news2-000000000000000000000000", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotFound, "RiskAssessment/")]
    [InlineData("/fhir/Patient/{P}/_history", null, HttpStatusCode.NotFound, OperationOutcome.IssueType.NotSupported, "_history")]
    [InlineData("/fhir/Observation?patient={P}&_format=xml", null, HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported, "_format")]
    [InlineData("/fhir/metadata?_format=application/fhir%2Bxml", null, HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported, "JSON only")]
    [InlineData("/fhir/Observation?patient={P}", "application/fhir+xml", HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported, "Accept")]
    [InlineData("/fhir/Patient/{P}", "text/html", HttpStatusCode.NotAcceptable, OperationOutcome.IssueType.NotSupported, "Accept")]
    public async Task Errors_are_operation_outcomes_with_the_right_status(string path, string? accept, HttpStatusCode status, OperationOutcome.IssueType code, string mentioned)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Error Person");

        var outcome = await Staff.GetOutcomeAsync(path.Replace("{P}", patientId), status, request =>
        {
            if (accept is not null)
            {
                request.Headers.Accept.Clear();
                request.Headers.Accept.ParseAdd(accept);
            }
        });

        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(code, issue.Code);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Contains(mentioned, issue.Diagnostics);
    }

    [Theory]
    [InlineData("POST", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("POST", "application/fhir+json", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "application/fhir+json", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", null, HttpStatusCode.MethodNotAllowed)]
    public async Task Writes_are_refused_with_an_operation_outcome(string method, string? contentType, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/fhir/Observation");
        if (contentType is not null)
        {
            request.Content = new StringContent("""{"resourceType":"Observation"}""", Encoding.UTF8, contentType);
        }

        using var response = await Staff.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var outcome = Assert.IsType<OperationOutcome>(ServerFhirClient.Parse(await response.Content.ReadAsStringAsync()));
        Assert.Equal(OperationOutcome.IssueType.NotSupported, Assert.Single(outcome.Issue).Code);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("application/json", null)]
    [InlineData("*/*", null)]
    [InlineData("application/fhir+json; fhirVersion=4.0", null)]
    [InlineData("application/fhir+xml", "json")]
    [InlineData(null, "application/fhir+json")]
    public async Task Json_is_served_when_the_client_accepts_it(string? accept, string? format)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Json Person");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/fhir/Patient/{patientId}" + (format is null ? "" : "?_format=" + Uri.EscapeDataString(format)));
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await Staff.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(patientId, Assert.IsType<Patient>(ServerFhirClient.Parse(await response.Content.ReadAsStringAsync())).Id);
    }

    [Fact]
    public async Task Lenient_handling_ignores_unknown_parameters_and_leaves_them_out_of_the_links()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Lenient Person");

        var (status, resource, _) = await Staff.GetFhirAsync($"/fhir/Observation?patient={patientId}&colour=red",
            request => request.Headers.Add("Prefer", "handling=lenient"));

        Assert.Equal(HttpStatusCode.OK, status);
        var bundle = Assert.IsType<Bundle>(resource);
        Assert.Equal(0, bundle.Total);
        Assert.DoesNotContain("colour", bundle.Link.Single(l => l.Relation == "self").Url);
        var warning = Assert.IsType<OperationOutcome>(Assert.Single(bundle.Entry, e => e.Search!.Mode == Bundle.SearchEntryMode.Outcome).Resource);
        Assert.Contains("colour", Assert.Single(warning.Issue).Diagnostics);
    }

    [Fact]
    public async Task A_news2_score_is_a_risk_assessment_whose_basis_reads_back_as_the_scored_observations()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "News2 Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pulse_oximeter");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);
        var measuredAt = DateTimeOffset.UtcNow.AddMinutes(-2);

        await device.PublishReadingsAsync($$"""[{"bt":{{Json.UnixSeconds(measuredAt)}},"n":"spo2","u":"%","v":91},{"n":"heart_rate","u":"beat/min","v":112}]""");

        var bundle = await Staff.GetOkAsync<Bundle>($"/fhir/RiskAssessment?patient={patientId}");
        Assert.Equal(1, bundle.Total);
        var assessment = Assert.Single(bundle.Matches<RiskAssessment>());
        Assert.Equal($"Patient/{patientId}", assessment.Subject.Reference);
        Assert.Equal("1104051000000101", assessment.Code!.Coding[0].Code);
        Assert.Equal(2, assessment.Basis.Count);
        var basis = new List<Observation>();
        foreach (var reference in assessment.Basis)
        {
            Assert.StartsWith("Observation/", reference.Reference);
            basis.Add(await Staff.GetOkAsync<Observation>($"/fhir/{reference.Reference}"));
        }
        Assert.Equal(["2708-6", "8867-4"], basis.Select(o => o.Code.Coding[0].Code!).Order().ToArray());
        Assert.Equal([91m, 112m], basis.OrderBy(o => o.Code.Coding[0].Code).Select(o => ((Quantity)o.Value!).Value!.Value).ToArray());
        var read = await Staff.GetOkAsync<RiskAssessment>($"/fhir/RiskAssessment/{assessment.Id}");
        Assert.Equal(ServerFhirClient.Serialize(assessment), ServerFhirClient.Serialize(read));

        var day = measuredAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, (await Staff.GetOkAsync<Bundle>($"/fhir/RiskAssessment?patient={patientId}&date={day}")).Total);
        Assert.Equal(0, (await Staff.GetOkAsync<Bundle>($"/fhir/RiskAssessment?patient={patientId}&date=lt{day}")).Total);
    }

    [Fact]
    public async Task A_pendant_press_is_an_active_flag_and_a_requested_call_that_acknowledgement_puts_in_progress()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Pendant Fhir Person");
        var (deviceId, secret) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId, "pendant_alarm");
        await using var device = await MqttDevice.ConnectAsync(Platform, deviceId, secret);

        await device.PublishEventAsync("""{"event":"pendant_press"}""");

        var flag = Assert.Single((await Staff.GetOkAsync<Bundle>($"/fhir/Flag?patient={patientId}")).Matches<Flag>());
        Assert.Equal(Flag.FlagStatus.Active, flag.Status);
        Assert.Equal("event:pendant_press", flag.Code.Coding[0].Code);
        var task = Assert.Single((await Staff.GetOkAsync<Bundle>($"/fhir/Task?patient={patientId}")).Matches<FhirTask>());
        Assert.Equal(FhirTask.TaskStatus.Requested, task.Status);
        Assert.Equal($"Flag/{flag.Id}", task.Focus!.Reference);
        Assert.Equal(flag.Id, (await Staff.GetOkAsync<Flag>($"/fhir/{task.Focus!.Reference}")).Id);
        Assert.Equal(1, (await Staff.GetOkAsync<Bundle>($"/fhir/Flag?patient={patientId}&status=active")).Total);
        Assert.Equal(0, (await Staff.GetOkAsync<Bundle>($"/fhir/Flag?patient={patientId}&status=inactive")).Total);
        Assert.Equal(1, (await Staff.GetOkAsync<Bundle>($"/fhir/Task?patient={patientId}&status=requested")).Total);
        var pendantObservation = Assert.Single((await Staff.GetOkAsync<Bundle>($"/fhir/Observation?patient={patientId}")).Matches<Observation>());
        Assert.Equal("pendant_press", pendantObservation.Code.Coding[0].Code);

        var alertId = (await Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray().Single().Str("id");
        await Staff.PostJsonAsync($"/api/alerts/{alertId}/acknowledge", new { });

        // Acknowledged, the press is with someone: the call is in progress and the flag stays active until resolved.
        Assert.Equal(Flag.FlagStatus.Active, (await Staff.GetOkAsync<Flag>($"/fhir/Flag/{flag.Id}")).Status);
        Assert.Equal(FhirTask.TaskStatus.InProgress, (await Staff.GetOkAsync<FhirTask>($"/fhir/Task/{task.Id}")).Status);
        Assert.Equal(0, (await Staff.GetOkAsync<Bundle>($"/fhir/Task?patient={patientId}&status=requested")).Total);
        Assert.Equal(1, (await Staff.GetOkAsync<Bundle>($"/fhir/Task?patient={patientId}&status=in-progress")).Total);
    }

    [Fact]
    public async Task Patients_are_found_by_id_and_nhs_number_within_the_team()
    {
        var created = await Staff.PostJsonAsync("/api/patients", new { displayName = "Nhs Number Person", nhsNumber = "9434765919" });
        var patientId = created.Str("id");
        var other = await TelehealthPlatform.CreatePatientAsync(Staff, "Another Person");

        var byNhsNumber = await Staff.GetOkAsync<Bundle>("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C9434765919");
        Assert.Equal(patientId, Assert.Single(byNhsNumber.Matches<Patient>()).Id);
        var byIds = await Staff.GetOkAsync<Bundle>($"/fhir/Patient?_id={patientId},{other},pat-unknown");
        Assert.Equal(new[] { other, patientId }.Order(StringComparer.Ordinal).ToArray(), byIds.Matches<Patient>().Select(p => p.Id!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(0, (await Staff.GetOkAsync<Bundle>("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C4010232137")).Total);
        Assert.Equal(patientId, (await Staff.GetOkAsync<Patient>($"/fhir/Patient/{patientId}")).Id);
    }
}
