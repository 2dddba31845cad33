using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>Patients and thresholds: the same tests on every care-record engine.</summary>
public abstract class CaseloadRepositoryConformance(IStoreEngine engine) : StoreSuite(engine)
{
    protected static readonly DateTimeOffset Now = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private IPatientRepository Patients => Get<IPatientRepository>();

    private IThresholdRepository Thresholds => Get<IThresholdRepository>();

    [Theory]
    [InlineData(-60, null)]   // before any override: the default low of 94
    [InlineData(0, 90.0)]     // the first set applies from the moment it was set
    [InlineData(30, 90.0)]
    [InlineData(60, 88.0)]    // replaced by the second set
    [InlineData(120, null)]   // the third set removed every override: defaults again
    public async Task Thresholds_in_force_at_a_moment_come_from_the_history(int minutesAfterFirstSet, double? expectedPersonalLow)
    {
        await Thresholds.SetOverridesAsync("pat-a", [new VitalThreshold(VitalKind.Spo2, 85, 90, null, null)], "nurse.a", Now);
        await Thresholds.SetOverridesAsync("pat-a", [new VitalThreshold(VitalKind.Spo2, 84, 88, null, null)], "nurse.b", Now.AddMinutes(60));
        await Thresholds.SetOverridesAsync("pat-a", [], "nurse.c", Now.AddMinutes(120));

        var atThatTime = await Thresholds.GetEffectiveAtAsync("pat-a", Now.AddMinutes(minutesAfterFirstSet));

        Assert.Equal(expectedPersonalLow ?? 94, atThatTime.For(VitalKind.Spo2)!.Low);
        Assert.Equal(94, (await Thresholds.GetEffectiveAtAsync("pat-other", Now.AddMinutes(30))).For(VitalKind.Spo2)!.Low);
    }

    [Fact]
    public async Task A_patient_round_trips_and_lists_by_team_in_name_order()
    {
        var ada = new PatientRecord(PatientIds.New(), "ada Byron", "9434765919", new DateOnly(1948, 12, 10), News2Scale.Scale2, true, "team-north", Now);
        var bob = new PatientRecord(PatientIds.New(), "Bob Ames", null, null, News2Scale.Scale1, false, "team-north", Now);
        var cy = new PatientRecord(PatientIds.New(), "Cy Dale", null, null, News2Scale.Scale1, false, "team-south", Now);

        Assert.Equal(PatientCreateResult.Created, await Patients.CreateAsync(ada));
        Assert.Equal(PatientCreateResult.Created, await Patients.CreateAsync(bob));
        Assert.Equal(PatientCreateResult.Created, await Patients.CreateAsync(cy));

        Assert.Equal(ada, await Patients.GetAsync(ada.Id));
        Assert.Equal([ada, bob], await Patients.ListAsync("team-north"));
        Assert.Equal(3, (await Patients.ListAsync()).Count);
        Assert.True(await Patients.ExistsAsync(cy.Id));
        Assert.False(await Patients.ExistsAsync("pat-nobody"));
        Assert.Null(await Patients.GetAsync("pat-nobody"));
    }

    [Fact]
    public async Task Duplicates_are_reported_not_stored()
    {
        var ada = new PatientRecord("pat-ada", "Ada Byron", "9434765919", null, News2Scale.Scale1, false, "team-north", Now);
        await Patients.CreateAsync(ada);

        Assert.Equal(PatientCreateResult.DuplicateId, await Patients.CreateAsync(ada with { NhsNumber = null }));
        Assert.Equal(PatientCreateResult.DuplicateNhsNumber, await Patients.CreateAsync(ada with { Id = "pat-ada2" }));
        Assert.Single(await Patients.ListAsync());
    }

    [Fact]
    public async Task An_nhs_number_is_unique_within_a_team_so_another_team_learns_nothing_about_it()
    {
        var ada = new PatientRecord("pat-ada", "Ada Byron", "9434765919", null, News2Scale.Scale1, false, "team-north", Now);
        await Patients.CreateAsync(ada);

        // The same number in another team is that team's own record, created as if the first did not exist.
        Assert.Equal(PatientCreateResult.Created, await Patients.CreateAsync(ada with { Id = "pat-ada-south", TeamId = "team-south" }));
        Assert.Equal(PatientCreateResult.DuplicateNhsNumber, await Patients.CreateAsync(ada with { Id = "pat-ada-south2", TeamId = "team-south" }));
        Assert.Equal(["pat-ada"], (await Patients.ListAsync("team-north")).Select(p => p.Id));
        Assert.Equal(["pat-ada-south"], (await Patients.ListAsync("team-south")).Select(p => p.Id));
    }

    [Fact]
    public async Task Overrides_replace_all_earlier_overrides_and_shape_the_effective_set()
    {
        var spo2 = new VitalThreshold(VitalKind.Spo2, 84, 88, null, null);
        var pulse = new VitalThreshold(VitalKind.HeartRate, 35, 45, 110, 140);
        var weight = new VitalThreshold(VitalKind.BodyWeight, null, null, 82.5, null);
        await Thresholds.SetOverridesAsync("pat-a", [spo2, pulse], "dr.patel", Now);
        await Thresholds.SetOverridesAsync("pat-b", [weight], "dr.patel", Now);

        await Thresholds.SetOverridesAsync("pat-a", [weight, spo2], "dr.khan", Now.AddDays(1));

        Assert.Equal([spo2, weight], await Thresholds.GetOverridesAsync("pat-a"));
        var effective = await Thresholds.GetEffectiveAsync("pat-a");
        Assert.Equal(ThresholdSet.Defaults.For(VitalKind.HeartRate), effective.For(VitalKind.HeartRate));
        Assert.Equal(spo2, effective.For(VitalKind.Spo2));
        Assert.Equal([weight], await Thresholds.GetOverridesAsync("pat-b"));

        await Thresholds.SetOverridesAsync("pat-a", [], "dr.khan", Now.AddDays(2));
        Assert.Empty(await Thresholds.GetOverridesAsync("pat-a"));
        Assert.Equal(ThresholdSet.Defaults.All, (await Thresholds.GetEffectiveAsync("pat-a")).All);
    }

    [Fact]
    public async Task Invalid_overrides_are_refused_with_every_problem_and_nothing_changes()
    {
        var good = new VitalThreshold(VitalKind.Spo2, 84, 88, null, null);
        await Thresholds.SetOverridesAsync("pat-a", [good], "dr.patel", Now);

        var refused = await Assert.ThrowsAsync<ThresholdValidationException>(() => Thresholds.SetOverridesAsync("pat-a",
            [new VitalThreshold(VitalKind.HeartRate, 60, 50, 100, 130), new VitalThreshold(VitalKind.Spo2, null, double.NaN, null, null), good],
            "dr.patel", Now));

        Assert.Equal(3, refused.Problems.Count);   // heart-rate order, SpO2 NaN, SpO2 twice
        Assert.Equal([good], await Thresholds.GetOverridesAsync("pat-a"));
    }
}
