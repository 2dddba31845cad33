using Telehealth.CareRecord.Caseload;
using Telehealth.CareRecord.News2;
using Telehealth.Storage.Sqlite.Caseload;
using Telehealth.Tests.Alerts;

namespace Telehealth.Tests.Caseload;

/// <summary>
/// Correcting a person's name, NHS number and date of birth: the modulus 11 check with its reason code, every problem
/// keyed by its field, and the store keeping an NHS number unique within the team.
/// </summary>
public sealed class PatientDetailsTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _temp = new();
    private readonly SqlitePatientRepository _patients;

    public PatientDetailsTests()
    {
        _patients = new SqlitePatientRepository(_temp.Database);
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("9434765919", true)]
    [InlineData("4010232137", true)]
    [InlineData("9434765870", true)]
    [InlineData("0000000000", true)]   // weighted sum 0: 11 − 0 = 11, which stands for check digit 0
    [InlineData("9434765918", false)]  // wrong last digit
    [InlineData("1234567890", false)]  // check digit would be 10: no number starting 123456789 is valid
    [InlineData("1234567891", false)]
    [InlineData("1234567899", false)]
    [InlineData("943476591", false)]   // nine digits
    [InlineData("94347659190", false)] // eleven
    [InlineData("943 476 5919", false)] // spaces are the caller's to remove (the API does)
    [InlineData("94347659l9", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Nhs_numbers_are_checked_with_modulus_11_and_a_check_digit_of_10_is_never_valid(string? number, bool valid)
    {
        Assert.Equal(valid, NhsNumbers.IsValid(number));
    }

    [Theory]
    [InlineData("Ada Byron", "9434765919", "1941-03-12", "")]
    [InlineData("Ada Byron", null, null, "")]
    [InlineData("Ada Byron", "9434765918", "1941-03-12", "nhsNumber=invalid_nhs_number")]
    [InlineData("Ada Byron", "1234567890", null, "nhsNumber=invalid_nhs_number")]
    [InlineData(" ", "9434765919", null, "displayName=display_name_required")]
    [InlineData("Ada Byron", null, "2026-11-26", "dateOfBirth=date_of_birth_out_of_range")]
    [InlineData("Ada Byron", null, "1896-11-24", "dateOfBirth=date_of_birth_out_of_range")]
    [InlineData("", "123", "2030-01-01", "dateOfBirth=date_of_birth_out_of_range displayName=display_name_required nhsNumber=invalid_nhs_number")]
    public void Every_problem_is_reported_on_its_field_with_a_reason_code(string name, string? nhsNumber, string? born, string expected)
    {
        var details = new PatientDetails(name, nhsNumber, born is null ? null : DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture));

        var problems = details.Validate(Today);

        var codes = problems.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value.Single().Split(':')[0]}");
        Assert.Equal(expected, string.Join(' ', codes));
    }
}
