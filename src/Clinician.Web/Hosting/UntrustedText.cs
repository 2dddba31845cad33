using System.Globalization;
using System.Text;

namespace Telehealth.Clinician.Web.Hosting;

/// <summary>
/// Makes text an outsider chose (a username typed at sign-in) safe to write into a log line or a table shown to admins:
/// cut to a length, with control and line-breaking characters escaped so it cannot forge a log line or hide text.
/// </summary>
public static class UntrustedText
{
    public const int DefaultMaxLength = 64;

    public static string Sanitize(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 16);
        var kept = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (kept == maxLength)
            {
                break;
            }
            kept++;
            if (rune.Value == '\\')
            {
                builder.Append(@"\\");
            }
            else if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }
        var total = text.EnumerateRunes().Count();
        if (total > kept)
        {
            builder.Append(CultureInfo.InvariantCulture, $"…(+{total - kept})");
        }
        return builder.ToString();
    }
}
