using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.Storage.Sqlite.Caseload;

namespace Telehealth.Tests.Alerts;

/// <summary>Databases made by earlier versions open with their data intact and read by today's rules.</summary>
public sealed class CareRecordMigrationTests : IDisposable
{
    private static readonly DateTimeOffset Then = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task A_patients_table_whose_oxygen_could_not_be_unknown_is_rebuilt_keeping_each_value()
    {
        await _temp.Database.EnsureSchemaAsync("""
            CREATE TABLE patients (
                id TEXT PRIMARY KEY, display_name TEXT NOT NULL, nhs_number TEXT NULL, date_of_birth TEXT NULL,
                news2_scale INTEGER NOT NULL, on_supplemental_oxygen INTEGER NOT NULL, team_id TEXT NOT NULL, created_at INTEGER NOT NULL);
            CREATE UNIQUE INDEX ux_patients_team_nhs_number ON patients(team_id, nhs_number) WHERE nhs_number IS NOT NULL;
            INSERT INTO patients VALUES ('pat-air', 'On Air', '9434765919', NULL, 1, 0, 'team-a', 1740819600000);
            INSERT INTO patients VALUES ('pat-oxygen', 'On Oxygen', NULL, '1948-12-10', 2, 1, 'team-a', 1740819600000);
            """);
        var patients = new SqlitePatientRepository(_temp.Database);

        await patients.InitializeAsync();

        var air = (await patients.GetAsync("pat-air"))!;
        var oxygen = (await patients.GetAsync("pat-oxygen"))!;
        Assert.Equal((News2Scale.Scale1, (bool?)false, "9434765919"), (air.News2Scale, air.OnSupplementalOxygen, air.NhsNumber));
        Assert.Equal((News2Scale.Scale2, (bool?)true, new DateOnly(1948, 12, 10)), (oxygen.News2Scale, oxygen.OnSupplementalOxygen, oxygen.DateOfBirth));
        var unknown = new PatientRecord("pat-unknown", "Not Known", null, null, News2Scale.Scale2, null, "team-a", Then);
        Assert.Equal(PatientCreateResult.Created, await patients.CreateAsync(unknown));
        Assert.Null((await patients.GetAsync("pat-unknown"))!.OnSupplementalOxygen);
        // The per-team NHS number rule survived the rebuild.
        var clash = new PatientRecord("pat-clash", "Clash", "9434765919", null, News2Scale.Scale1, false, "team-a", Then);
        Assert.Equal(PatientCreateResult.DuplicateNhsNumber, await patients.CreateAsync(clash));
        // A second start finds nothing to migrate.
        await new SqlitePatientRepository(_temp.Database).InitializeAsync();
        Assert.Equal(3, (await patients.ListAsync("team-a")).Count);
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task Unknown_oxygen_reaches_NEWS2_as_missing_not_as_air()
    {
        var record = new PatientRecord("pat-x", "X", null, null, News2Scale.Scale2, null, "team-a", Then);

        var care = record.ToNews2CareSettings(ConsciousnessLevel.NewConfusion);

        Assert.Null(care.OnSupplementalOxygen);
        Assert.Equal(ConsciousnessLevel.NewConfusion, care.Consciousness);
        Assert.Null(record.ToNews2CareSettings().Consciousness);
        await Task.CompletedTask;
    }

    [Fact]
    [Trait("Hazard", "H5")]
    public async Task Care_setting_changes_are_stored_with_the_values_before_and_after_in_order()
    {
        var patients = new SqlitePatientRepository(_temp.Database);
        await patients.CreateAsync(new PatientRecord("pat-c", "C", null, null, News2Scale.Scale1, false, "team-a", Then));

        var first = await patients.UpdateCareSettingsAsync("pat-c", new CareSettingsUpdate(News2Scale.Scale2, true, "nurse.a", "COPD with hypercapnia", Then.AddHours(1)));
        var second = await patients.UpdateCareSettingsAsync("pat-c", new CareSettingsUpdate(News2Scale.Scale2, null, "nurse.b", "Oxygen under review", Then.AddHours(2)));
        var missing = await patients.UpdateCareSettingsAsync("pat-none", new CareSettingsUpdate(News2Scale.Scale2, null, "nurse.b", "x", Then));

        Assert.Equal((News2Scale.Scale2, (bool?)true), (first!.News2Scale, first.OnSupplementalOxygen));
        Assert.Null(second!.OnSupplementalOxygen);
        Assert.Null(missing);
        Assert.Equal(
            [
                new CareSettingsChange("pat-c", 1, Then.AddHours(1), "nurse.a", "COPD with hypercapnia", News2Scale.Scale1, false, News2Scale.Scale2, true),
                new CareSettingsChange("pat-c", 2, Then.AddHours(2), "nurse.b", "Oxygen under review", News2Scale.Scale2, true, News2Scale.Scale2, null),
            ],
            await patients.GetCareSettingsHistoryAsync("pat-c"));
        Assert.Empty(await patients.GetCareSettingsHistoryAsync("pat-none"));
    }

    [Theory]
    [InlineData(" ", "nurse.a")]
    [InlineData("", "nurse.a")]
    [InlineData("why", " ")]
    public void A_care_setting_change_without_a_reason_or_author_is_refused(string reason, string by)
    {
        Assert.Single(new CareSettingsUpdate(News2Scale.Scale1, null, by, reason, Then).Validate());
        Assert.Single(new CareSettingsUpdate(News2Scale.Scale1, null, "nurse.a", new string('x', CareSettingsUpdate.MaxReasonLength + 1), Then).Validate());
        Assert.Empty(new CareSettingsUpdate(News2Scale.Scale2, null, "nurse.a", "documented", Then).Validate());
    }

    [Fact]
    [Trait("Hazard", "H13")]
    public async Task H13_overrides_set_before_the_threshold_history_existed_are_in_force_from_when_they_were_set()
    {
        await _temp.Database.EnsureSchemaAsync("""
            CREATE TABLE patient_thresholds (
                patient_id TEXT NOT NULL, kind TEXT NOT NULL, critical_low REAL NULL, low REAL NULL, high REAL NULL,
                critical_high REAL NULL, set_by TEXT NOT NULL, set_at INTEGER NOT NULL, PRIMARY KEY (patient_id, kind));
            INSERT INTO patient_thresholds VALUES ('pat-old', 'spo2', 84, 88, NULL, NULL, 'nurse.a', 1740819600000);
            INSERT INTO patient_thresholds VALUES ('pat-old', 'heart_rate', 35, 45, 110, 140, 'nurse.a', 1740819600000);
            """);
        var thresholds = new SqliteThresholdRepository(_temp.Database);

        await thresholds.InitializeAsync();

        var timeline = await thresholds.GetTimelineAsync("pat-old");
        Assert.Equal(88, timeline.At(Then).For(VitalKind.Spo2)!.Low);
        Assert.Equal(45, timeline.At(Then.AddDays(1)).For(VitalKind.HeartRate)!.Low);
        Assert.Equal(94, timeline.At(Then.AddMilliseconds(-1)).For(VitalKind.Spo2)!.Low);
        Assert.Equal(88, (await thresholds.GetEffectiveAtAsync("pat-old", Then.AddDays(1))).For(VitalKind.Spo2)!.Low);
        Assert.Equal(
            (await thresholds.GetEffectiveAsync("pat-old")).All,
            (await thresholds.GetEffectiveAtAsync("pat-old", Then.AddDays(1))).All);
        // Seeding runs once: a later change adds to the history, a restart does not seed again.
        await thresholds.SetOverridesAsync("pat-old", [], "nurse.b", Then.AddDays(2));
        await new SqliteThresholdRepository(_temp.Database).InitializeAsync();
        Assert.Equal(94, (await thresholds.GetTimelineAsync("pat-old")).At(Then.AddDays(3)).For(VitalKind.Spo2)!.Low);
        Assert.Equal(88, (await thresholds.GetTimelineAsync("pat-old")).At(Then.AddDays(1)).For(VitalKind.Spo2)!.Low);
    }

    [Theory]
    [InlineData(-1, 94.0)]  // before any set: defaults
    [InlineData(0, 90.0)]   // a set is in force from the moment it was set
    [InlineData(59, 90.0)]
    [InlineData(60, 86.0)]  // two sets in one millisecond: the later one stayed
    [InlineData(500, 94.0)] // overrides removed: defaults again
    [Trait("Hazard", "H13")]
    public void H13_the_timeline_answers_the_set_in_force_at_a_moment(int minutes, double expectedLow)
    {
        ThresholdSet Low(double low) => ThresholdSet.Defaults.WithOverrides([new VitalThreshold(VitalKind.Spo2, 80, low, null, null)]);
        var timeline = new ThresholdTimeline(
        [
            (Then.AddMinutes(300), ThresholdSet.Defaults),
            (Then, Low(90)),
            (Then.AddMinutes(60), Low(88)),
            (Then.AddMinutes(60), Low(86)),
        ]);

        Assert.Equal(expectedLow, timeline.At(Then.AddMinutes(minutes)).For(VitalKind.Spo2)!.Low);
        Assert.Same(ThresholdSet.Defaults, timeline.Current);
        Assert.Same(ThresholdSet.Defaults, ThresholdTimeline.DefaultsOnly.At(Then));
    }
}
