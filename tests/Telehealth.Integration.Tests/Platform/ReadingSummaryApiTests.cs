using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Telehealth.CareRecord.Staff;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Contracts.Readings;
using Telehealth.Ingest.Storage;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Platform;

/// <summary><c>/api/patients/{id}/readings/summary</c> and <c>/readings/latest</c> through the real platform, team-scoped.</summary>
public sealed class ReadingSummaryApiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private TelehealthPlatform Platform => fixture.Platform;

    private HttpClient Staff => fixture.Staff;

    private async Task<(string PatientId, string DeviceId)> PatientWithReadingsAsync(string name)
    {
        var patientId = await TelehealthPlatform.CreatePatientAsync(Staff, name);
        var (deviceId, _) = await TelehealthPlatform.RegisterDeviceAsync(Staff, patientId);
        Reading At(int minute, VitalKind kind, double value) => new(deviceId, patientId, kind, value, T0.AddMinutes(minute), T0.AddMinutes(minute).AddSeconds(2));
        await Platform.Services.GetRequiredService<IReadingStore>().AppendAsync(
        [
            At(0, VitalKind.HeartRate, 60), At(10, VitalKind.HeartRate, 80), At(20, VitalKind.HeartRate, 100),
            At(70, VitalKind.HeartRate, 90), At(5, VitalKind.Spo2, 97), At(65, VitalKind.Spo2, 95),
        ]);
        return (patientId, deviceId);
    }

    [Fact]
    public async Task Summary_returns_min_mean_max_and_count_per_interval()
    {
        var (patientId, _) = await PatientWithReadingsAsync("Summary Person");

        var summary = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings/summary?kind=heart_rate&from=2026-11-20T08:00:00Z&to=2026-11-20T10:00:00Z&interval=1h");

        Assert.Equal(("heart_rate", "beat/min", "1h"), (summary.Str("kind"), summary.Str("unit"), summary.Str("interval")));
        var buckets = summary.GetProperty("buckets").EnumerateArray()
            .Select(b => (b.GetProperty("start").GetDateTimeOffset(), b.GetProperty("min").GetDouble(), b.GetProperty("mean").GetDouble(), b.GetProperty("max").GetDouble(), b.GetProperty("count").GetInt64()))
            .ToList();
        Assert.Equal([(T0, 60.0, 80.0, 100.0, 3L), (T0.AddHours(1), 90.0, 90.0, 90.0, 1L)], buckets);
    }

    [Fact]
    public async Task Latest_returns_the_newest_reading_of_each_kind()
    {
        var (patientId, deviceId) = await PatientWithReadingsAsync("Latest Person");

        var latest = await Staff.GetJsonAsync($"/api/patients/{patientId}/readings/latest");

        var rows = latest.EnumerateArray().Select(r => (r.Str("kind"), r.GetProperty("value").GetDouble(), r.GetProperty("deviceTime").GetDateTimeOffset(), r.Str("deviceId"))).ToList();
        Assert.Equal([("heart_rate", 90.0, T0.AddMinutes(70), deviceId), ("spo2", 95.0, T0.AddMinutes(65), deviceId)], rows);
    }

    [Theory]
    [InlineData("interval=1h", "kind")]
    [InlineData("kind=pulse&interval=1h", "kind")]
    [InlineData("kind=heart_rate&interval=soon", "interval")]
    [InlineData("kind=heart_rate&interval=500ms", "interval")]
    [InlineData("kind=heart_rate&interval=1s&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z", "query")]
    [InlineData("kind=heart_rate&interval=1h&from=2026-11-20T10:00:00Z&to=2026-11-20T08:00:00Z", "query")]
    public async Task Summary_questions_that_cannot_be_answered_are_400_naming_the_parameter(string parameters, string field)
    {
        var (patientId, _) = await PatientWithReadingsAsync("Bad Question Person");

        using var response = await Staff.GetAsync($"/api/patients/{patientId}/readings/summary?{parameters}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Another_teams_patient_is_not_found_for_summary_and_latest()
    {
        var (patientId, _) = await PatientWithReadingsAsync("Other Team Person");
        var password = "pw-" + Guid.NewGuid().ToString("N");
        await Platform.Services.GetRequiredService<StaffDirectory>().UpsertAsync(new StaffUser("nurse-summary-west", StaffRoles.Clinician, "team-west"), password);
        using var west = Platform.CreateAnonymousClient();
        west.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await Platform.GetTokenAsync("nurse-summary-west", password));

        using var summary = await west.GetAsync($"/api/patients/{patientId}/readings/summary?kind=heart_rate&from=2026-11-20T08:00:00Z&to=2026-11-20T10:00:00Z&interval=1h");
        using var latest = await west.GetAsync($"/api/patients/{patientId}/readings/latest");

        Assert.Equal(HttpStatusCode.NotFound, summary.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, latest.StatusCode);
    }
}
