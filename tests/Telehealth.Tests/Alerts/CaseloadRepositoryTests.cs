using Telehealth.CareRecord.News2;
using Telehealth.CareRecord.Thresholds;
using Telehealth.Contracts.Readings;
using Telehealth.CareRecord.Caseload;
using Telehealth.Tests.Storage.Engines;
using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Alerts;

/// <summary>Patients and thresholds on the embedded engine (the conformance suite), and the pure caseload rules.</summary>
public sealed class CaseloadRepositoryTests() : CaseloadRepositoryConformance(new SqliteStoreEngine())
{
    [Theory]
    [InlineData("9434765919", true)]
    [InlineData("9434765918", false)]
    [InlineData("943476591", false)]
    [InlineData("94347659l9", false)]
    [InlineData("0000000000", true)]
    public void Nhs_numbers_are_checked_with_modulus_11(string number, bool valid)
    {
        Assert.Equal(valid, NhsNumbers.IsValid(number));
    }

    [Fact]
    public void Patient_validation_lists_every_problem()
    {
        var bad = new PatientRecord("patient-1", " ", "1234567890", new DateOnly(2030, 1, 1), (News2Scale)7, false, "", Now);

        Assert.Equal(6, bad.Validate(new DateOnly(2025, 3, 1)).Count);
        Assert.Empty((bad with { Id = PatientIds.New(), DisplayName = "Ada", NhsNumber = null, DateOfBirth = null, News2Scale = News2Scale.Scale1, TeamId = "t" })
            .Validate(new DateOnly(2025, 3, 1)));
    }

    [Fact]
    public void Generated_ids_are_well_formed_and_distinct()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => PatientIds.New()).ToArray();

        Assert.All(ids, id => Assert.True(PatientIds.IsWellFormed(id), id));
        Assert.All(ids, id => Assert.Equal(14, id.Length));
        Assert.Equal(1000, ids.Distinct().Count());
    }
}
