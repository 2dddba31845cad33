using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.News2;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Caseload;

/// <summary>Editing a person's details on every care-record engine: replaced exactly, the NHS number unique within a team.</summary>
public abstract class PatientDetailsStoreConformance(IStoreEngine engine) : StoreSuite(engine)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private IPatientRepository Patients => Get<IPatientRepository>();

    [Fact]
    public async Task Details_are_replaced_and_an_nhs_number_stays_unique_within_the_team()
    {
        await Patients.CreateAsync(new PatientRecord("pat-ada", "Ada Byron", "9434765919", new DateOnly(1941, 3, 12), News2Scale.Scale2, true, "team-north", Now));
        await Patients.CreateAsync(new PatientRecord("pat-bea", "Bea Byron", "4010232137", null, News2Scale.Scale1, false, "team-north", Now));
        await Patients.CreateAsync(new PatientRecord("pat-cy", "Cy South", "9434765870", null, News2Scale.Scale1, false, "team-south", Now));

        Assert.Equal(PatientUpdateResult.Updated,
            await Patients.UpdateDetailsAsync("pat-ada", new PatientDetails("Ada King", "9434765870", new DateOnly(1941, 3, 13))));
        // Another team's person has 9434765870 too: each team keeps its own record.
        var ada = await Patients.GetAsync("pat-ada");
        Assert.Equal(new PatientRecord("pat-ada", "Ada King", "9434765870", new DateOnly(1941, 3, 13), News2Scale.Scale2, true, "team-north", Now), ada);

        Assert.Equal(PatientUpdateResult.DuplicateNhsNumber,
            await Patients.UpdateDetailsAsync("pat-bea", new PatientDetails("Bea Byron", "9434765870", null)));
        Assert.Equal("4010232137", (await Patients.GetAsync("pat-bea"))!.NhsNumber);

        Assert.Equal(PatientUpdateResult.Updated, await Patients.UpdateDetailsAsync("pat-bea", new PatientDetails("Bea Byron", null, null)));
        Assert.Null((await Patients.GetAsync("pat-bea"))!.NhsNumber);
        Assert.Equal(PatientUpdateResult.UnknownPatient, await Patients.UpdateDetailsAsync("pat-nobody", new PatientDetails("X", null, null)));
    }
}

public sealed class PatientDetailsStoreTests() : PatientDetailsStoreConformance(new SqliteStoreEngine());
