using Telehealth.Clinician.Web.Auth;
using Telehealth.Integration.Tests.Platform;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Fhir;

/// <summary>
/// One real platform with one person whose readings and events arrived over MQTT at known device times, on two UTC
/// days (<see cref="Day"/> and the day after), plus a member of staff of another team.
/// Observations: SpO2 ×3, heart rate ×3, blood-pressure panel ×2, temperature ×1, glucose ×1, fall ×1 = 11.
/// </summary>
public sealed class ServerObservationFixture : IAsyncLifetime
{
    public const int ObservationCount = 11;

    public TelehealthPlatform Platform { get; private set; } = null!;

    public HttpClient Staff { get; private set; } = null!;

    public HttpClient OtherTeam { get; private set; } = null!;

    public string PatientId { get; private set; } = null!;

    public string OximeterId { get; private set; } = null!;

    /// <summary>UTC midnight three days ago: old enough that nothing here is scored by NEWS2, young enough to be accepted.</summary>
    public DateTimeOffset Day { get; } = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-3);

    public async Task InitializeAsync()
    {
        Platform = await TelehealthPlatform.StartAsync();
        Staff = await Platform.CreateStaffClientAsync();
        PatientId = await TelehealthPlatform.CreatePatientAsync(Staff, "Fhir Search Person");

        var oximeter = await TelehealthPlatform.RegisterDeviceAsync(Staff, PatientId, "pulse_oximeter");
        OximeterId = oximeter.DeviceId;
        await PublishAsync(oximeter, Reading(Day.AddHours(8), ("spo2", "%", 97), ("heart_rate", "beat/min", 72)));
        await PublishAsync(oximeter, Reading(Day.AddHours(12), ("spo2", "%", 95), ("heart_rate", "beat/min", 80)));
        await PublishAsync(oximeter, Reading(Day.AddDays(1).AddHours(8), ("spo2", "%", 93), ("heart_rate", "beat/min", 90)));

        var cuff = await TelehealthPlatform.RegisterDeviceAsync(Staff, PatientId, "blood_pressure_monitor");
        await PublishAsync(cuff, Reading(Day.AddHours(9), ("systolic_bp", "mmHg", 128), ("diastolic_bp", "mmHg", 82)));
        await PublishAsync(cuff, Reading(Day.AddDays(1).AddHours(9), ("systolic_bp", "mmHg", 135), ("diastolic_bp", "mmHg", 85)));

        var thermometer = await TelehealthPlatform.RegisterDeviceAsync(Staff, PatientId, "thermometer");
        await PublishAsync(thermometer, Reading(Day.AddHours(10), ("body_temperature", "Cel", 37.2)));

        var glucometer = await TelehealthPlatform.RegisterDeviceAsync(Staff, PatientId, "glucometer");
        await PublishAsync(glucometer, Reading(Day.AddDays(1).AddHours(7), ("blood_glucose", "mmol/L", 5.6)));

        var fallDetector = await TelehealthPlatform.RegisterDeviceAsync(Staff, PatientId, "fall_detector");
        await using (var device = await MqttDevice.ConnectAsync(Platform, fallDetector.DeviceId, fallDetector.Secret))
        {
            await device.PublishEventAsync($$"""{"event":"fall_detected","t":{{Json.UnixSeconds(Day.AddDays(1).AddHours(10))}}}""");
        }

        // The data set is exactly as described, or every test here would be checking the wrong thing.
        Assert.Equal(12, (await Staff.GetJsonAsync($"/api/patients/{PatientId}/readings")).GetArrayLength());
        Assert.Equal(1, (await Staff.GetJsonAsync($"/api/patients/{PatientId}/events")).GetArrayLength());

        var otherTeamPassword = "other-" + Guid.NewGuid().ToString("N");
        var directory = (StaffDirectory)Platform.Services.GetService(typeof(StaffDirectory))!;
        await directory.UpsertAsync(new("nurse-other-team", "clinician", "team-other"), otherTeamPassword);
        OtherTeam = Platform.CreateAnonymousClient();
        OtherTeam.DefaultRequestHeaders.Authorization = new("Bearer", await Platform.GetTokenAsync("nurse-other-team", otherTeamPassword));
    }

    public async Task DisposeAsync()
    {
        Staff.Dispose();
        OtherTeam.Dispose();
        await Platform.DisposeAsync();
    }

    /// <summary>A dateTime search value to the millisecond, e.g. 2025-03-01T08:00:00.000Z.</summary>
    public static string At(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string DayOf(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Reading(DateTimeOffset at, params (string Name, string Unit, double Value)[] records) =>
        "[" + string.Join(",", records.Select((r, i) =>
            (i == 0 ? $"{{\"bt\":{Json.UnixSeconds(at)}," : "{")
            + $"\"n\":\"{r.Name}\",\"u\":\"{r.Unit}\",\"v\":{r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}")) + "]";

    private async Task PublishAsync((string DeviceId, string Secret) credentials, string senml)
    {
        await using var device = await MqttDevice.ConnectAsync(Platform, credentials.DeviceId, credentials.Secret);
        var result = await device.PublishReadingsAsync(senml);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, result.ReasonCode);
    }
}
