using Telehealth.CareRecord.Audit;

namespace Telehealth.Tests.Access;

public sealed class AuditCsvTests
{
    [Theory]
    [InlineData("nurse.jones", "nurse.jones")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(1)", "'=HYPERLINK(1)")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@sum", "'@sum")]
    [InlineData("=a,b", "\"'=a,b\"")]
    [InlineData("", "")]
    public void A_field_is_quoted_when_needed_and_never_read_as_a_formula(string value, string expected) =>
        Assert.Equal(expected, AuditCsv.Field(value));

    [Fact]
    public void Rows_are_one_per_entry_with_a_header_and_UTC_times_to_the_millisecond()
    {
        var at = new DateTimeOffset(2026, 11, 25, 21, 5, 7, 123, TimeSpan.FromHours(1));
        var csv = AuditCsv.Format(
        [
            new AuditEntry(7, at, "nurse.jones", "clinician", "pat-1", "team-a", AuditAction.Change, "PUT /api/patients/{id}/thresholds"),
            new AuditEntry(6, at, "admin", "admin", "pat-1", "team-a", AuditAction.Create, "POST /api/patients"),
        ]);

        Assert.Equal(
            "sequence,at,actor,role,patient_id,team_id,action,resource\r\n"
            + "7,2026-11-25T20:05:07.123Z,nurse.jones,clinician,pat-1,team-a,change,PUT /api/patients/{id}/thresholds\r\n"
            + "6,2026-11-25T20:05:07.123Z,admin,admin,pat-1,team-a,create,POST /api/patients\r\n",
            csv);
    }
}
