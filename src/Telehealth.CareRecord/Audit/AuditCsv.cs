using System.Globalization;
using System.Text;
using Telehealth.Contracts;

namespace Telehealth.CareRecord.Audit;

/// <summary>
/// The audit as CSV (RFC 4180) for export. A field that starts like a formula (=, +, -, @) is prefixed with an
/// apostrophe so a spreadsheet opening the export shows it rather than runs it (usernames are chosen by people).
/// </summary>
public static class AuditCsv
{
    public const string Header = "sequence,at,actor,role,patient_id,team_id,action,resource";

    public static string Format(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new StringBuilder(Header).Append("\r\n");
        foreach (var e in entries)
        {
            builder.Append(e.Sequence?.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(e.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append(',')
                .Append(Field(e.Actor)).Append(',')
                .Append(Field(e.Role)).Append(',')
                .Append(Field(e.PatientId)).Append(',')
                .Append(Field(e.TeamId)).Append(',')
                .Append(WireNames.Of(e.Action)).Append(',')
                .Append(Field(e.Resource)).Append("\r\n");
        }
        return builder.ToString();
    }

    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
