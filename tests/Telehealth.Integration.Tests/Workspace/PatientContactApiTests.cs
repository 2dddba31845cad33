using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.CareRecord;
using Telehealth.CareRecord.Alerting;
using Telehealth.CareRecord.Staff;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Workspace;

/// <summary>Phones and contacts for telephone work, and the NHS number and date of birth beside every name.</summary>
public sealed class PatientContactApiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private TelehealthPlatform Platform => fixture.Platform;

    private static object Contacts => new
    {
        phones = new[] { new { label = "home", number = "01632 960123" }, new { label = "mobile", number = "+44 7700 900123" } },
        contacts = new[]
        {
            new { name = "Sam Carer", relationship = "carer", phone = "01632 960999" },
            new { name = "Alex Daughter", relationship = "next_of_kin", phone = "07700 900456" },
            new { name = "Jo Key", relationship = "key_worker", phone = "01632 960000" },
        },
    };

    [Fact]
    public async Task Telephone_support_records_contacts_and_they_are_in_the_persons_record()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(fixture.Staff, "Contact Person");
        using var support = await Platform.CreateStaffClientAsync("phone.contacts", StaffRoles.TelephoneSupport);

        var put = await support.PutAsJsonAsync($"/api/patients/{patientId}/contacts", Contacts);
        var record = await fixture.Clinician.GetJsonAsync($"/api/patients/{patientId}");
        var cleared = await support.PutAsJsonAsync($"/api/patients/{patientId}/contacts", new { phones = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var contacts = record.GetProperty("contacts");
        Assert.Equal([("home", "01632 960123"), ("mobile", "+44 7700 900123")],
            contacts.GetProperty("phones").EnumerateArray().Select(p => (p.Str("label"), p.Str("number"))));
        Assert.Equal([("Sam Carer", "carer", "01632 960999"), ("Alex Daughter", "next_of_kin", "07700 900456"), ("Jo Key", "key_worker", "01632 960000")],
            contacts.GetProperty("contacts").EnumerateArray().Select(c => (c.Str("name"), c.Str("relationship"), c.Str("phone"))));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var after = (await support.GetJsonAsync($"/api/patients/{patientId}/contacts"));
        Assert.Equal((0, 0), (after.GetProperty("phones").GetArrayLength(), after.GetProperty("contacts").GetArrayLength()));
    }

    [Fact]
    public async Task Bad_contacts_are_refused_naming_each_problem_and_another_team_cannot_touch_them()
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(fixture.Staff, "Bad Contact Person");
        using var outsider = await Platform.CreateStaffClientAsync("nurse.outside", StaffRoles.Clinician, "team-outside");

        var bad = await fixture.Clinician.PutAsJsonAsync($"/api/patients/{patientId}/contacts", new
        {
            phones = new[] { new { label = "pager", number = "01632 960123" } },
            contacts = new[] { new { name = "Sam", relationship = "friend", phone = "123" } },
        });
        var foreign = await outsider.PutAsJsonAsync($"/api/patients/{patientId}/contacts", Contacts);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("contacts").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(
        [
            "phones[0]: label 'pager' is not one of home, mobile, work, other.",
            "contacts[0]: relationship 'friend' is not one of carer, next_of_kin, key_worker, other.",
            "contacts[0]: phone '123' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).",
        ], problems);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(0, (await fixture.Clinician.GetJsonAsync($"/api/patients/{patientId}/contacts")).GetProperty("phones").GetArrayLength());
    }

    [Fact]
    public async Task An_alert_shows_the_persons_nhs_number_and_date_of_birth_beside_the_name()
    {
        var created = await fixture.Staff.PostAsJsonAsync("/api/patients", new { displayName = "Same Name", nhsNumber = "9434765870", dateOfBirth = "1941-03-07" });
        var patientId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.Str("id");
        var at = DateTimeOffset.UtcNow;
        var alert = new AlertCase(Guid.NewGuid(), patientId, "test:ids", Guid.NewGuid(), AlertSeverity.High, "test", "test alert", null,
            AlertCaseStatus.Open, true, false, false, 1, at, at, at, at, at.AddHours(1));
        await Platform.Services.GetRequiredService<IAlertStore>().CommitAsync(new AlertCommit(patientId,
            [new AlertChange(alert, [new AlertEvent(null, alert.Id, patientId, AlertEventType.Raised, AlertEvent.System, at, "test alert")])], []));

        var listed = (await fixture.Staff.GetJsonAsync($"/api/alerts?patientId={patientId}")).EnumerateArray().Single();
        var single = await fixture.Staff.GetJsonAsync($"/api/alerts/{alert.Id}");

        foreach (var dto in new[] { listed, single })
        {
            Assert.Equal(("Same Name", "9434765870", "1941-03-07"), (dto.Str("patientName"), dto.Str("patientNhsNumber"), dto.Str("patientDateOfBirth")));
        }
    }
}
